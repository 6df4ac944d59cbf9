package aistatstest

// The real server is TypeScript. These helpers reproduce the JavaScript
// semantics its handlers rely on (String.prototype.trim, Number(),
// Boolean(), String(), JSON.parse, UTF-16 lengths), because clients see the
// results: "false" coerces to true, "1e2" is a limit of 100, and so on.

import (
	"bytes"
	"encoding/json"
	"errors"
	"github.com/ai-stats/aistats-go/internal/jstext"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

func isJSSpace(r rune) bool { return jstext.IsSpace(r) }

func jsTrim(s string) string { return jstext.Trim(s) }

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

// jsStringifyList is JSON.stringify for an array of strings.
func jsStringifyList(items []string) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = jsStringify(it)
	}
	return "[" + strings.Join(parts, ",") + "]"
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

// jsToNumber is Number(v) for a value decoded from JSON; NaN where
// JavaScript gives NaN. Arrays go through their string form, so [5] is 5
// and [] is 0.
func jsToNumber(v any) float64 {
	switch v := v.(type) {
	case nil:
		return 0
	case bool:
		if v {
			return 1
		}
		return 0
	case json.Number:
		return jsNumberValue(v)
	case string:
		if f, ok := jsNumber(v); ok {
			return f
		}
	case []any:
		return jsToNumber(jsString(v))
	}
	return math.NaN()
}

// jsRound is Math.round: halves go up, towards +Infinity.
func jsRound(x float64) float64 {
	f := math.Floor(x)
	if x-f >= 0.5 {
		f++
	}
	return f
}

// A Date holds at most 8.64e15 milliseconds either side of the epoch.
var (
	minJSDate = time.UnixMilli(-8.64e15)
	maxJSDate = time.UnixMilli(8.64e15)
)

// jsISODate is the ECMAScript date-time string format, with the
// variations V8 also reads: a space for the T, lower-case t and z, a comma
// before the fraction, any number of fraction digits and an offset
// without its colon.
var jsISODate = regexp.MustCompile(`^([+-]\d{6}|\d{4})(?:-(\d\d)(?:-(\d\d))?)?` +
	`(?:[Tt ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?(Z|z|[+-]\d\d:?\d\d)?)?$`)

// jsDateLayouts are the other forms of V8's legacy parser a client is
// likely to send. Everything without a zone is UTC, as on Workers.
var jsDateLayouts = []string{
	time.RFC1123, time.RFC1123Z, time.RFC850, time.ANSIC, time.UnixDate, time.RubyDate,
	"Mon, 2 Jan 2006 15:04:05 MST", "Mon Jan 2 2006 15:04:05 GMT-0700",
	"Jan 2 2006", "Jan 2, 2006", "January 2, 2006", "January 2 2006", "2 Jan 2006", "2 January 2006",
	"2006/01/02", "2006/1/2", "2006/01/02 15:04", "2006/01/02 15:04:05", "01/02/2006", "1/2/2006",
}

// jsDate is new Date(s) for the formats clients send: the ISO forms (a
// date alone is UTC midnight) and the common legacy ones listed above. ok
// is false where JavaScript gives an Invalid Date. Like V8, a day past the
// month's end rolls over ("2027-02-30" is March 2nd).
func jsDate(s string) (t time.Time, ok bool) {
	s = jsTrim(s)
	if m := jsISODate.FindStringSubmatch(s); m != nil {
		t, ok = isoDate(m)
	} else {
		for _, layout := range jsDateLayouts {
			var err error
			if t, err = time.Parse(layout, s); err == nil {
				ok = true
				break
			}
		}
	}
	if !ok || t.Before(minJSDate) || t.After(maxJSDate) {
		return time.Time{}, false
	}
	return t.UTC().Truncate(time.Millisecond), true
}

func isoDate(m []string) (time.Time, bool) {
	num := func(s string, def int) int {
		if s == "" {
			return def
		}
		n, _ := strconv.Atoi(s)
		return n
	}
	if m[1] == "-000000" {
		return time.Time{}, false // the spec forbids a negative zero year
	}
	year := num(strings.TrimPrefix(m[1], "+"), 0)
	month, day := num(m[2], 1), num(m[3], 1)
	hour, minute, sec := num(m[4], 0), num(m[5], 0), num(m[6], 0)
	ms := num((m[7] + "000")[:3], 0)
	if month < 1 || month > 12 || day < 1 || day > 31 || minute > 59 || sec > 59 ||
		hour > 24 || hour == 24 && (minute != 0 || sec != 0 || ms != 0) {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, ms*int(time.Millisecond), time.UTC)
	if zone := m[8]; zone != "" && zone != "Z" && zone != "z" {
		digits := strings.ReplaceAll(zone[1:], ":", "")
		offset := time.Duration(num(digits[:2], 0))*time.Hour + time.Duration(num(digits[2:], 0))*time.Minute
		if num(digits[:2], 0) > 23 || num(digits[2:], 0) > 59 {
			return time.Time{}, false
		}
		if zone[0] == '+' {
			offset = -offset
		}
		t = t.Add(offset)
	}
	return t, true
}

// jsISOString is Date.prototype.toISOString: milliseconds and "Z", with
// six signed year digits outside 0000-9999.
func jsISOString(t time.Time) string {
	t = t.UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		sign := "+"
		if y < 0 {
			sign, y = "-", -y
		}
		return sign + strconv.Itoa(1000000 + y)[1:] + t.Format("-01-02T15:04:05.000Z")
	}
	return t.Format("2006-01-02T15:04:05.000Z")
}
