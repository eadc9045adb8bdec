// Package report encodes analysis results for people and machines. Each
// format is one encoder behind the Encoder interface, looked up in one
// explicit list; encoders hold no analysis logic of their own, and their
// output is deterministic so that two runs over the same input are
// byte-identical.
package report
