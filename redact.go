package aistats

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// scrubber removes the client's own API key from server text before it
// reaches an error, a log line or APIError.Body. A server may echo the
// credential back (a debug page, a proxy error); the client knows its key
// exactly, so it can mask it whatever the key's format (a JWT, sk-live-…),
// including the escaped forms a JSON or URL echo would use.
//
// The forms are kept masked like any Secret, so printing the client (even
// through fmt's fallback for unexported fields) cannot show them.
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

// str returns s without the key.
func (s *scrubber) str(x string) string {
	if s == nil {
		return x
	}
	for _, form := range s.forms {
		if f := form.Reveal(); strings.Contains(x, f) {
			x = strings.ReplaceAll(x, f, s.repl)
		}
	}
	return x
}

// bytes returns b without the key; b itself is not modified.
func (s *scrubber) bytes(b []byte) []byte {
	if s == nil {
		return b
	}
	for _, form := range s.forms {
		if f := []byte(form.Reveal()); bytes.Contains(b, f) {
			b = bytes.ReplaceAll(b, f, []byte(s.repl))
		}
	}
	return b
}

// header returns h, or a copy without the key when any value holds it.
func (s *scrubber) header(h http.Header) http.Header {
	if s == nil || h == nil {
		return h
	}
	var out http.Header
	for k, vs := range h {
		for i, v := range vs {
			if c := s.str(v); c != v {
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
// while its text no longer holds the key.
type scrubbedError struct {
	err  error
	text string
}

func (e *scrubbedError) Error() string { return e.text }
func (e *scrubbedError) Unwrap() error { return e.err }

func (s *scrubber) err(err error) error {
	if s == nil || err == nil {
		return err
	}
	if t := err.Error(); s.str(t) != t {
		return &scrubbedError{err: err, text: s.str(t)}
	}
	return err
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
