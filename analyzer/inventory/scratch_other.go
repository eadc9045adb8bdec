//go:build !linux

package inventory

// mapBuffer has no huge-page mapping outside Linux: the Go heap serves.
func mapBuffer(n int) ([]byte, func(), bool) { return nil, nil, false }
