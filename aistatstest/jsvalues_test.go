package aistatstest

import (
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
