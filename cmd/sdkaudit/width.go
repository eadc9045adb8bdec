package main

import (
	"io"
	"os"
	"strconv"
)

// tableWidth is the width table reports drawn on out must fit in: COLUMNS
// when set, else the terminal's when out is one, else 0 (no limit: a file
// or a pipe gets the whole text).
func tableWidth(out io.Writer) int {
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if f, ok := out.(*os.File); ok {
		return terminalColumns(f)
	}
	return 0
}
