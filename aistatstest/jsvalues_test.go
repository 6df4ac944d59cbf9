package aistatstest

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestJSNumber(t *testing.T) {
	for in, want := range map[string]float64{
		"": 0, "  ": 0, "7": 7, " 7\n": 7, "+7": 7, "-7": -7, "007": 7, "2.5": 2.5, ".5": 0.5, "5.": 5,
		"1e2": 100, "1E-2": 0.01, "0x1F": 31, "0o17": 15, "0b101": 5, "Infinity": math.Inf(1),
		"-Infinity": math.Inf(-1), "1e400": math.Inf(1), "\u00a09\ufeff": 9,
	} {
		got, ok := jsNumber(in)
		assert.True(t, ok, "%q", in)
		assert.Equal(t, want, got, "%q", in)
	}
	for _, in := range []string{"abc", "1_000", "1,5", "-0x10", "0x", "inf", "NaN", "1e", "e5", ".", "+-1", "12px", "0x1p3"} {
		_, ok := jsNumber(in)
		assert.False(t, ok, "%q is NaN in JavaScript", in)
	}
}

func TestFormatJSNumber(t *testing.T) {
	for in, want := range map[float64]string{
		0: "0", math.Copysign(0, -1): "0", 1: "1", -1.5: "-1.5", 100: "100", 0.1: "0.1",
		1e21: "1e+21", 1.5e300: "1.5e+300", 1e20: "100000000000000000000", 1e-6: "0.000001",
		1e-7: "1e-7", 1.25e-10: "1.25e-10", math.Inf(1): "Infinity", math.Inf(-1): "-Infinity",
	} {
		assert.Equal(t, want, formatJSNumber(in), "%v", in)
	}
	assert.Equal(t, "NaN", formatJSNumber(math.NaN()))
}

func TestJSTrimAndLength(t *testing.T) {
	assert.Equal(t, "a b", jsTrim("\t\n\v\f\r \u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\ufeffa b\u00a0"))
	assert.Equal(t, "\u0085a\u0085", jsTrim("\u0085a\u0085"), "NEL is not JavaScript white space")
	assert.Equal(t, 0, jsLength(""))
	assert.Equal(t, 3, jsLength("abc"))
	assert.Equal(t, 1, jsLength("é"))
	assert.Equal(t, 2, jsLength("😀"), "astral characters count twice")
}

func TestJSStringify(t *testing.T) {
	assert.Equal(t, `"a\"b\\c\n\t\b\f\r\u0001<>&\\u2028é"`, jsStringify("a\"b\\c\n\t\b\f\r\x01<>&\\u2028é"),
		"a literal backslash before u2028 is escaped, not mistaken for an escape")
	assert.Equal(t, "\"\u2028\"", jsStringify("\u2028"), "line separators stay literal")
}

func TestCanonicalUUID(t *testing.T) {
	const want = "0c5d8e2a-1b3f-4c6d-8e9f-a0b1c2d3e4f5"
	for _, in := range []string{
		want,
		"0C5D8E2A-1B3F-4C6D-8E9F-A0B1C2D3E4F5",
		"{0c5d8e2a-1b3f-4c6d-8e9f-a0b1c2d3e4f5}",
		"0c5d8e2a1b3f4c6d8e9fa0b1c2d3e4f5",
		"0c5d-8e2a-1b3f-4c6d-8e9f-a0b1-c2d3-e4f5",
	} {
		got, ok := canonicalUUID(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{
		"", "keys", "pk_abc123", want + "0", want[:35], "-" + want, want + "-",
		"0c5d8e2a--1b3f-4c6d-8e9f-a0b1c2d3e4f5", "0c5d8e2-a1b3f-4c6d-8e9f-a0b1c2d3e4f5",
		"{" + want, want + "}", "0c5d8e2a-1b3f-4c6d-8e9f-a0b1c2d3e4fg",
	} {
		_, ok := canonicalUUID(in)
		assert.False(t, ok, in)
	}
}

func TestIDs(t *testing.T) {
	assert.Regexp(t, uuidV4Pattern, newUUID())
	assert.NotEqual(t, newUUID(), newUUID())
	assert.Regexp(t, `^[A-Za-z0-9]{40}$`, randomBase62(40))
	id := newRequestID(time.UnixMilli(0))
	assert.Regexp(t, requestIDPattern, id)
	assert.Equal(t, "G-0000000000", id[:12], "time-ordered prefix")
}

func TestJSDate(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ms int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ms*1e6, time.UTC)
	}
	for in, want := range map[string]time.Time{
		"2027":                           utc(2027, 1, 1, 0, 0, 0, 0),
		"2027-03":                        utc(2027, 3, 1, 0, 0, 0, 0),
		"2027-03-04":                     utc(2027, 3, 4, 0, 0, 0, 0),
		" 2027-03-04 ":                   utc(2027, 3, 4, 0, 0, 0, 0),
		"2027-03-04T05:06":               utc(2027, 3, 4, 5, 6, 0, 0),
		"2027-03-04T05:06:07":            utc(2027, 3, 4, 5, 6, 7, 0),
		"2027-03-04T05:06:07.8":          utc(2027, 3, 4, 5, 6, 7, 800),
		"2027-03-04T05:06:07.123456789Z": utc(2027, 3, 4, 5, 6, 7, 123),
		"2027-03-04T05:06:07+02:00":      utc(2027, 3, 4, 3, 6, 7, 0),
		"2027-03-04T05:06:07-0130":       utc(2027, 3, 4, 6, 36, 7, 0),
		"2027-03-04 05:06:07z":           utc(2027, 3, 4, 5, 6, 7, 0),
		"2027-03-04T24:00:00":            utc(2027, 3, 5, 0, 0, 0, 0),
		"2027-02-30":                     utc(2027, 3, 2, 0, 0, 0, 0), // V8 rolls over
		"+012027-01-01":                  utc(12027, 1, 1, 0, 0, 0, 0),
		"Fri, 01 Jan 2027 10:00:00 GMT":  utc(2027, 1, 1, 10, 0, 0, 0),
		"Jan 2, 2027":                    utc(2027, 1, 2, 0, 0, 0, 0),
		"2027/01/02":                     utc(2027, 1, 2, 0, 0, 0, 0),
	} {
		got, ok := jsDate(in)
		if assert.True(t, ok, "%q", in) {
			assert.Equal(t, want, got, "%q", in)
		}
	}
	for _, in := range []string{
		"", "soon", "true", "2027-13-01", "2027-00-10", "2027-01-32", "2027-01-01T25:00", "2027-01-01T24:00:01",
		"2027-01-01T10:60", "-000000-01-01", "+275761-01-01", "2027-01-01T10:00+25:00", "[object Object]",
	} {
		_, ok := jsDate(in)
		assert.False(t, ok, "%q", in)
	}
}

func TestJSISOString(t *testing.T) {
	assert.Equal(t, "2027-03-04T05:06:07.080Z", jsISOString(time.Date(2027, 3, 4, 5, 6, 7, 80e6, time.UTC)))
	assert.Equal(t, "2027-03-04T04:06:07.000Z", jsISOString(time.Date(2027, 3, 4, 5, 6, 7, 0, time.FixedZone("", 3600))))
	assert.Equal(t, "+012027-01-01T00:00:00.000Z", jsISOString(time.Date(12027, 1, 1, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, "-000001-01-01T00:00:00.000Z", jsISOString(time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)))
}

func TestJSToNumberAndRound(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want float64
	}{
		{nil, 0}, {true, 1}, {false, 0}, {json.Number("2.5"), 2.5}, {" 0x10 ", 16}, {"", 0}, {"1e3", 1000},
		{[]any{}, 0}, {[]any{json.Number("7")}, 7}, {[]any{"8"}, 8}, {[]any{nil}, 0},
	} {
		assert.Equal(t, tc.want, jsToNumber(tc.in), "%#v", tc.in)
	}
	for _, in := range []any{"five", map[string]any{}, []any{json.Number("1"), json.Number("2")}} {
		assert.True(t, math.IsNaN(jsToNumber(in)), "%#v", in)
	}
	for in, want := range map[float64]float64{2.5: 3, -2.5: -2, 0.49999999999999994: 0, 1.4: 1, -0.6: -1} {
		assert.Equal(t, want, jsRound(in), "%v", in)
	}
}

func TestScopeHelpers(t *testing.T) {
	for in, want := range map[string][]string{
		"":                    nil,
		"  ":                  nil,
		"[]":                  nil,
		`["a"," b ",""]`:      {"a", "b"},
		`[1,null,{}]`:         {"1", "null", "[object Object]"},
		"a, b\tc":             {"a", "b", "c"},
		`{"a":1}`:             {`{"a":1}`},
		`"a"`:                 {`"a"`},
		"\ufeff[\"x\"]\u00a0": {"x"},
	} {
		assert.Equal(t, want, parseStoredScopeList(in), "%q", in)
	}
	assert.Equal(t, `["keys:read","keys:write"]`, serializeScopeList([]string{"keys:read", "keys:write"}))
	assert.Len(t, managementKeyTemplates["read-only"], 16)
	assert.Len(t, managementKeyTemplates["read-write"], 24)
	assert.Len(t, managementKeyTemplates["full-control"], 30)
	assert.Equal(t, []string{"b", "c"}, missingScopes([]string{"a"}, []string{"b", "a", "c"}))
	assert.Nil(t, missingScopes([]string{"a"}, []string{"a"}))
	for _, id := range []string{"0b7e6f0a-3c1d-4e2b-9f8a-7c6d5e4f3a21", "0B7E6F0A-3C1D-1E2B-AF8A-7C6D5E4F3A21"} {
		assert.True(t, isLookupUUID(id), id)
	}
	for _, id := range []string{"0b7e6f0a-3c1d-6e2b-9f8a-7c6d5e4f3a21", "0b7e6f0a-3c1d-4e2b-7f8a-7c6d5e4f3a21",
		"0b7e6f0a3c1d4e2b9f8a7c6d5e4f3a21", "{0b7e6f0a-3c1d-4e2b-9f8a-7c6d5e4f3a21}"} {
		assert.False(t, isLookupUUID(id), id)
	}
}
