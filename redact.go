package aistats

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// scrubber removes credentials from server text before it reaches an
// error, a log line or APIError.Body/Header: the client's own API key,
// which a server may echo back (a debug page, a proxy error) in any
// format (a JWT, sk-live-…) and any spelling (raw, JSON- or URL-escaped,
// HTML entities), and any AI Stats key (redactKeys). The client knows its
// key exactly, so it can mask it whatever it looks like.
//
// The key's forms are kept masked like any Secret, so printing the client
// (even through fmt's fallback for unexported fields) cannot show them. A
// nil *scrubber (a key too short to search for) still masks AI Stats keys.
type scrubber struct {
	forms []Secret // the key as it may appear: raw, JSON-escaped, URL-escaped
	repl  string   // what replaces it: the key's redacted form
}

// minScrubLength: a key shorter than this is a test value, and masking
// every occurrence of, say, "k" would make server text unreadable.
const minScrubLength = 8

func newScrubber(key Secret) *scrubber {
	plain := key.Reveal()
	if len(plain) < minScrubLength {
		return nil
	}
	s := &scrubber{repl: key.Redacted()}
	seen := map[string]bool{}
	add := func(f string) {
		if !seen[f] {
			seen[f] = true
			s.forms = append(s.forms, NewSecret(f))
		}
	}
	add(plain)
	if b, err := json.Marshal(plain); err == nil {
		add(string(b[1 : len(b)-1]))
		add(strings.ReplaceAll(string(b[1:len(b)-1]), "/", `\/`))
	}
	add(url.QueryEscape(plain))
	add(url.PathEscape(plain))
	return s
}

// keyScrubber builds a client's scrubber on first use: only error paths
// need it, so a client that never fails never pays for it.
type keyScrubber struct {
	key  Secret
	once sync.Once
	s    *scrubber
}

func (k *keyScrubber) get() *scrubber {
	if k == nil {
		return nil
	}
	k.once.Do(func() { k.s = newScrubber(k.key) })
	return k.s
}

// replaceForms masks the key's precomputed spellings.
func (s *scrubber) replaceForms(x string) string {
	for _, form := range s.forms {
		if f := form.Reveal(); strings.Contains(x, f) {
			x = strings.ReplaceAll(x, f, s.repl)
		}
	}
	return x
}

// own masks the client's key. Spellings it cannot precompute (a \u escape
// of any character, lower-case percent escapes, HTML entities) are found
// by decoding a copy: if that holds the key, the decoded text, masked,
// replaces the original.
func (s *scrubber) own(x string) string {
	if s == nil {
		return x
	}
	x = s.replaceForms(x)
	if strings.ContainsAny(x, `%&\`) {
		for _, decode := range []func(string) string{unescapeJSON, percentDecode, html.UnescapeString} {
			if v := decode(x); v != x {
				if w := s.replaceForms(v); w != v {
					x = w
				}
			}
		}
	}
	return x
}

// clean masks every credential in x.
func (s *scrubber) clean(x string) string { return redactKeys(s.own(x)) }

// cleanCut cleans x, cuts it to at most n bytes, and masks a partial key
// the cut (or the server) left at the end.
func (s *scrubber) cleanCut(x string, n int) string {
	x = s.clean(x)
	if len(x) > n {
		x = x[:n]
	}
	if s == nil {
		return x
	}
	for _, form := range s.forms {
		f := form.Reveal()
		for k := min(len(f)-1, len(x)); k >= minScrubLength; k-- {
			if strings.HasSuffix(x, f[:k]) {
				return x[:len(x)-k] + s.repl
			}
		}
	}
	return x
}

// cleanHeader returns h, or a copy with credentials masked.
func (s *scrubber) cleanHeader(h http.Header) http.Header {
	var out http.Header
	for k, vs := range h {
		for i, v := range vs {
			if c := s.clean(v); c != v {
				if out == nil {
					out = h.Clone()
				}
				out[k][i] = c
			}
		}
	}
	if out == nil {
		return h
	}
	return out
}

// scrubbedError keeps an error's identity for errors.Is and errors.As
// while its text no longer holds a credential.
type scrubbedError struct {
	err  error
	text string
}

func (e *scrubbedError) Error() string { return e.text }
func (e *scrubbedError) Unwrap() error { return e.err }

// cleanErr returns err, or err with a cleaned text when it held a credential.
func (s *scrubber) cleanErr(err error) error {
	if err == nil {
		return nil
	}
	if t := err.Error(); s.clean(t) != t {
		return &scrubbedError{err: err, text: s.clean(t)}
	}
	return err
}

// maskExact masks one known secret (a plaintext just minted) and its
// JSON-escaped spelling in x.
func maskExact(x, secret string) string {
	repl := NewSecret(secret).Redacted()
	x = strings.ReplaceAll(x, secret, repl)
	if b, err := json.Marshal(secret); err == nil {
		x = strings.ReplaceAll(x, string(b[1:len(b)-1]), repl)
	}
	q := strconv.Quote(secret) // the spelling of a %q in an error message
	return strings.ReplaceAll(x, q[1:len(q)-1], repl)
}

// unescapeJSON decodes the escapes of JSON strings wherever they appear
// (\uXXXX, \/, \", \\ …), leaving anything else as it is.
func unescapeJSON(x string) string {
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
		case 'u':
			if i+6 <= len(x) {
				if r, err := strconv.ParseUint(x[i+2:i+6], 16, 32); err == nil {
					b.WriteRune(rune(r))
					i += 5
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

// printableLine makes server text safe for one line of a terminal or a
// log: white space (line breaks included) folds to single spaces, and
// control, escape, line-separator and bidirectional-override characters,
// and invalid UTF-8, become U+FFFD, so a server cannot forge log lines or
// reorder what a reader sees.
func printableLine(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unsafeRune(r) {
			clean = false
			break
		}
	}
	if clean && !strings.Contains(s, "  ") && (s == "" || s[0] != ' ' && s[len(s)-1] != ' ') {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f':
			space = true
			continue
		case r == utf8.RuneError || unsafeRune(r):
			r = utf8.RuneError
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// unsafeRune: C0 and C1 controls (tab and friends included: they are
// folded by the caller), DEL, line and paragraph separators, and the
// invisible characters that change how text around them is displayed.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return true
	case r == 0x2028 || r == 0x2029: // line and paragraph separators
		return true
	case r == 0x061c || r == 0x200e || r == 0x200f: // bidi marks
		return true
	case r >= 0x202a && r <= 0x202e: // bidi embeddings and overrides
		return true
	case r >= 0x2066 && r <= 0x2069: // bidi isolates
		return true
	case r == 0xfeff || (r >= 0x200b && r <= 0x200d): // zero-width characters
		return true
	}
	return false
}
