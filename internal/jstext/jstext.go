// Package jstext holds the string rules of the API server, which is
// JavaScript: what String.prototype.trim removes. The SDK validates names
// the way the server will, and the fake reproduces the server; both use it.
package jstext

import "strings"

// IsSpace reports whether r is white space or a line terminator for
// String.prototype.trim. It differs from unicode.IsSpace: U+FEFF is space,
// U+0085 is not.
func IsSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// Trim is String.prototype.trim.
func Trim(s string) string { return strings.TrimFunc(s, IsSpace) }
