package aistats

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// How a credential may be spelled in server text: the tokens redactKeys
// finds by their shape, and the decoders serverText applies to a copy of
// the text to find a credential hidden behind escapes or invisible runes.

// redactKeys replaces any AI Stats or Phaseo key in s with its redacted
// form: (aistats|phaseo)_v1_<2 lower-case letters>_<key id>_<secret>, with
// no word boundary before it ("token_phaseo_v1_sk_…" holds a key too) and
// any tail that still has a secret character (a key cut short). It is a
// step of serverText (redact.go), which every string from a server passes;
// it scans by hand because server text can be large.
func redactKeys(s string) string {
	if !strings.Contains(s, "_v1_") {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "_v1_")
		if j < 0 {
			break
		}
		at := i + j
		start := -1
		switch {
		case at >= 6 && s[at-6:at] == "phaseo":
			start = at - 6
		case at >= 7 && s[at-7:at] == "aistats":
			start = at - 7
		}
		end := keyEnd(s, at+len("_v1_"))
		if start < last || end < 0 {
			i = at + 1
			continue
		}
		b.WriteString(s[last:start])
		b.WriteString(NewSecret(s[start:end]).Redacted())
		last, i = end, end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// keyEnd returns where a key that continues at p ("sk_<kid>_<secret>")
// ends, or -1.
func keyEnd(s string, p int) int {
	if p+3 > len(s) || !isLower(s[p]) || !isLower(s[p+1]) || s[p+2] != '_' {
		return -1
	}
	p += 3
	kid := p
	for p < len(s) && isAlnum(s[p]) {
		p++
	}
	if p == kid || p >= len(s) || s[p] != '_' {
		return -1
	}
	p++
	secret := p
	for p < len(s) && (isAlnum(s[p]) || s[p] == '_') {
		p++
	}
	if p == secret {
		return -1
	}
	return p
}

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }

func isAlnum(c byte) bool { return isLower(c) || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' }

// mayHideSpelling reports whether x has an escape or a non-ASCII rune,
// the only ways to spell a credential that maskPlain does not see.
func mayHideSpelling(x string) bool {
	for i := 0; i < len(x); i++ {
		if c := x[i]; c == '%' || c == '&' || c == '\\' || c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// unescapeBackslash decodes the escapes of JSON and Go strings wherever
// they appear (\uXXXX, \UXXXXXXXX, \xXX, \/, \", \\ …), leaving anything
// else as it is.
func unescapeBackslash(x string) string {
	if !strings.Contains(x, `\`) {
		return x
	}
	var b strings.Builder
	for i := 0; i < len(x); i++ {
		c := x[i]
		if c != '\\' || i+1 >= len(x) {
			b.WriteByte(c)
			continue
		}
		switch e := x[i+1]; e {
		case '"', '\\', '/':
			b.WriteByte(e)
			i++
		case 'n', 't', 'r', 'b', 'f':
			b.WriteByte(' ')
			i++
		case 'u', 'U', 'x':
			n := 4
			switch e {
			case 'U':
				n = 8
			case 'x':
				n = 2
			}
			if i+2+n <= len(x) {
				if r, err := strconv.ParseUint(x[i+2:i+2+n], 16, 32); err == nil {
					if e == 'x' {
						b.WriteByte(byte(r))
					} else {
						b.WriteRune(rune(r))
					}
					i += 1 + n
					continue
				}
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// percentDecode decodes %XX escapes (either case), leaving anything else.
func percentDecode(x string) string {
	if !strings.Contains(x, "%") {
		return x
	}
	var b strings.Builder
	for i := 0; i < len(x); i++ {
		if x[i] == '%' && i+2 < len(x) {
			if v, err := strconv.ParseUint(x[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(x[i])
	}
	return b.String()
}

// dropInvisible removes the runes printableLine would replace, so a
// credential broken up by them (a soft hyphen, a tag character, a
// zero-width space) is found whole.
func dropInvisible(x string) string {
	return strings.Map(func(r rune) rune {
		if r >= utf8.RuneSelf && unsafeRune(r) {
			return -1
		}
		return r
	}, x)
}
