//go:build !unix

package main

import "os"

// terminalColumns: without a terminal size call, COLUMNS alone sets the
// width.
func terminalColumns(*os.File) int { return 0 }
