package aistatstest

// The real server is TypeScript. These helpers reproduce the JavaScript
// semantics its handlers rely on (String.prototype.trim, Number(),
// Boolean(), String(), JSON.parse, UTF-16 lengths), because clients see the
// results: "false" coerces to true, "1e2" is a limit of 100, and so on.

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

// isJSSpace reports whether r is white space or a line terminator for
// String.prototype.trim. It differs from unicode.IsSpace: U+FEFF is space,
// U+0085 is not.
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

func jsTrim(s string) string { return strings.TrimFunc(s, isJSSpace) }

// jsLength is String.prototype.length: UTF-16 code units, not runes.
func jsLength(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// parseJSONBody is Request.json(): the text decoder drops a UTF-8 BOM, then
// JSON.parse. Numbers stay json.Number so that huge values do not fail
// decoding the way they would as float64 (JSON.parse gives Infinity).
func parseJSONBody(raw []byte) (any, error) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if !json.Valid(raw) {
		return nil, errors.New("invalid JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// jsNumberValue converts a json.Number; out-of-range values become ±Inf
// as in JavaScript.
func jsNumberValue(n json.Number) float64 {
	f, _ := strconv.ParseFloat(string(n), 64)
	return f
}

// jsTruthy is Boolean(v) for a value decoded from JSON.
func jsTruthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case json.Number:
		f := jsNumberValue(v)
		return f != 0 && !math.IsNaN(f)
	case string:
		return v != ""
	}
	return true // arrays and objects, even empty ones
}

// jsString is String(v) for a value decoded from JSON.
func jsString(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case json.Number:
		return formatJSNumber(jsNumberValue(v))
	case string:
		return v
	case []any:
		// Array.prototype.join: null and undefined elements become "".
		parts := make([]string, len(v))
		for i, e := range v {
			if e != nil {
				parts[i] = jsString(e)
			}
		}
		return strings.Join(parts, ",")
	}
	return "[object Object]"
}

// formatJSNumber is Number.prototype.toString(): shortest round-trip
// digits, exponent form below 1e-6 and from 1e21 on, exponent without
// leading zeros.
func formatJSNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0" // also -0
	}
	if a := math.Abs(f); a >= 1e21 || a < 1e-6 {
		s := strconv.FormatFloat(f, 'e', -1, 64)
		mant, exp, _ := strings.Cut(s, "e")
		sign, digits := exp[:1], strings.TrimLeft(exp[1:], "0")
		return mant + "e" + sign + digits
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// jsStringify is JSON.stringify for a string: only quotes, backslashes and
// control characters are escaped (unlike encoding/json, which also escapes
// <, >, &, U+2028 and U+2029).
func jsStringify(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				b.WriteString(`\u00`)
				b.WriteByte("0123456789abcdef"[r>>4])
				b.WriteByte("0123456789abcdef"[r&15])
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

var (
	jsDecimal    = regexp.MustCompile(`^[+-]?(Infinity|[0-9]+\.?[0-9]*([eE][+-]?[0-9]+)?|\.[0-9]+([eE][+-]?[0-9]+)?)$`)
	jsNonDecimal = regexp.MustCompile(`^0([xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)$`)
)

// jsNumber is Number(s) for a string. ok is false where JavaScript gives NaN.
func jsNumber(s string) (f float64, ok bool) {
	s = jsTrim(s)
	switch {
	case s == "":
		return 0, true
	case jsNonDecimal.MatchString(s):
		base := 16
		switch lower(s[1]) {
		case 'o':
			base = 8
		case 'b':
			base = 2
		}
		n, _ := new(big.Int).SetString(s[2:], base)
		f, _ = new(big.Float).SetInt(n).Float64()
		return f, true
	case jsDecimal.MatchString(s):
		if strings.HasSuffix(s, "Infinity") {
			if s[0] == '-' {
				return math.Inf(-1), true
			}
			return math.Inf(1), true
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return 0, false
		}
		return f, true
	}
	return 0, false
}
