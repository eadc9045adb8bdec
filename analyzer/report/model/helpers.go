package model

import "encoding/json"

// each converts a list, keeping nil nil (written null) and empty empty
// (written []): the schemas tell the two apart.
func each[T, U any](in []T, f func(T) U) []U {
	if in == nil {
		return nil
	}
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// ptr converts what p points at, nil staying nil.
func ptr[T, U any](p *T, f func(T) U) *U {
	if p == nil {
		return nil
	}
	v := f(*p)
	return &v
}

// strs converts a list of a named string type to plain strings.
func strs[S ~string](in []S) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = string(s)
	}
	return out
}

// MarshalJSON writes path on every analysed site, [] when there is none,
// and leaves it out when reachability was not analysed. The site is
// encoded with encoding/json's HTML escaping, as every 1.0 scan and 2.0
// audit document has written it ("\u003cclinit\u003e" in a path): the
// decoded text is the same, and the bytes of published reports stay as
// they were.
func (s CallSite) MarshalJSON() ([]byte, error) {
	type plain struct {
		Class     string    `json:"class"`
		Method    string    `json:"method"`
		API       string    `json:"api"`
		Dex       string    `json:"dex"`
		Reach     string    `json:"reach,omitempty"`
		Path      *[]string `json:"path,omitempty"`
		AsyncHops []int     `json:"async_hops,omitempty"`
	}
	p := plain{Class: s.Class, Method: s.Method, API: s.API, Dex: s.Dex, Reach: s.Reach, AsyncHops: s.AsyncHops}
	if s.Reach != "" {
		path := s.Path
		if path == nil {
			path = []string{}
		}
		p.Path = &path
	}
	return json.Marshal(p)
}
