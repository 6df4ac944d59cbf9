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

// Every string a server sent passes serverText on its way into an error,
// a String() or a log record: it is the one place that knows what a
// credential looks like and what a reader may safely see. The error types
// store what it returned and run it again in Error(), so a field set by
// hand (or changed after the fact) is cleaned too.

// textUse says where a piece of server text is going.
type textUse uint8

const (
	// keptText is kept for the caller as sent (APIError.Body, a header
	// value, a DecodeError snippet): credentials are masked, nothing else
	// changes. A max cuts it to that many bytes.
	keptText textUse = iota
	// lineText is shown (Error(), String(), a log record, APIError.Code,
	// Message and RequestID): credentials are masked and the result is
	// one printable line. A max cuts it to that many runes, "…" included.
	lineText
)

// serverText cleans x, server text, for use. A nil *scrubber (a client
// whose key is too short to search for, or a value printed away from any
// client) still masks credential-shaped tokens and makes lines printable.
func (s *scrubber) serverText(x string, use textUse, max int) string {
	x = s.mask(x)
	if use == lineText {
		x = printableLine(x)
	}
	fits := func(y string) bool {
		return max <= 0 || (use == lineText && utf8.RuneCountInString(y) <= max) || (use == keptText && len(y) <= max)
	}
	if m := s.maskTail(x); fits(m) {
		return m
	}
	// What a cap leaves of a secret at the end goes: its redacted form
	// could take the text past the cap.
	switch {
	case fits(x):
		return s.dropTail(x, use)
	case use == lineText:
		return s.dropTail(string([]rune(x)[:max-1]), use) + "…"
	}
	return s.dropTail(x[:max], use)
}

// scrubber knows the credentials a client must never show: its own API
// key and, while a mint answer is being reported, the new plaintext. Each
// is searched in every spelling a server may echo it in (raw, JSON-,
// Go- or URL-escaped, HTML entities, cut short). Any AI Stats or Phaseo
// key (redactKeys) is masked too, known or not.
//
// The spellings are kept masked like any Secret, so printing the client
// (even through fmt's fallback for unexported fields) cannot show them.
type scrubber struct {
	secrets []knownSecret
}

// knownSecret is one credential's spellings and what replaces them: its
// redacted form.
type knownSecret struct {
	forms []Secret
	repl  string
}

// minScrubLength: a client key shorter than this is a test value, and
// masking every occurrence of, say, "k" would make server text unreadable.
const minScrubLength = 8

// minEchoPrefix: a run of this many leading characters of a secret's
// spelling, anywhere in server text, is masked as the secret cut short.
// (Shorter runs are masked only where text ends: a cut there may have
// dropped the rest.)
const minEchoPrefix = 16

func newScrubber(key Secret) *scrubber {
	if len(key.masked) < minScrubLength {
		return nil
	}
	return (*scrubber)(nil).with(key)
}

// with returns a scrubber that also masks secret; s is not changed (a
// client's scrubber is shared by its calls).
func (s *scrubber) with(secret Secret) *scrubber {
	if secret.IsZero() {
		return s
	}
	plain := secret.Reveal()
	k := knownSecret{repl: secret.Redacted()}
	seen := map[string]bool{}
	add := func(f string) {
		if f != "" && !seen[f] {
			seen[f] = true
			k.forms = append(k.forms, NewSecret(f))
		}
	}
	add(plain)
	if b, err := json.Marshal(plain); err == nil {
		add(string(b[1 : len(b)-1]))
		add(strings.ReplaceAll(string(b[1:len(b)-1]), "/", `\/`))
	}
	q := strconv.Quote(plain) // the spelling of a %q in a decoder's message
	add(q[1 : len(q)-1])
	add(url.QueryEscape(plain))
	add(url.PathEscape(plain))
	out := &scrubber{}
	if s != nil {
		out.secrets = append(out.secrets, s.secrets...)
	}
	out.secrets = append(out.secrets, k)
	return out
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

// mask masks every credential in x. Spellings that cannot be precomputed
// (a \u escape of any character, lower-case percent escapes, HTML
// entities, a key broken up by invisible characters) are found by
// decoding a copy: if that holds a credential, the decoded text, masked,
// replaces the original.
func (s *scrubber) mask(x string) string {
	x = s.maskPlain(x)
	if !mayHideSpelling(x) {
		return x
	}
	// Each decoder works on what the previous ones left, so a key hidden
	// by two spellings at once (a \u00ad escape of a soft hyphen) is found.
	v := x
	for _, decode := range [...]func(string) string{unescapeBackslash, percentDecode, html.UnescapeString, dropInvisible} {
		v = decode(v)
		if w := s.maskPlain(v); w != v {
			x, v = w, w
		}
	}
	return x
}

// maskPlain masks the known secrets, whole or cut short, and any
// credential-shaped token, as they are spelled in x.
func (s *scrubber) maskPlain(x string) string {
	if s != nil {
		for i := range s.secrets {
			x = s.secrets[i].mask(x)
		}
	}
	return redactKeys(x)
}

// mask replaces every run of minEchoPrefix or more leading characters of a
// spelling (all of it, for a shorter one) with the redacted form.
func (k *knownSecret) mask(x string) string {
	for _, form := range k.forms {
		f := form.Reveal()
		head := f[:min(len(f), minEchoPrefix)]
		if !strings.Contains(x, head) {
			continue
		}
		var b strings.Builder
		rest := x
		for {
			i := strings.Index(rest, head)
			if i < 0 {
				break
			}
			b.WriteString(rest[:i])
			if strings.HasPrefix(rest[i:], k.repl) { // masked already: the redacted form may start like the key
				b.WriteString(k.repl)
				rest = rest[i+len(k.repl):]
				continue
			}
			n := len(head)
			for n < len(f) && n < len(rest)-i && rest[i+n] == f[n] {
				n++
			}
			b.WriteString(k.repl)
			rest = rest[i+n:]
		}
		b.WriteString(rest)
		x = b.String()
	}
	return x
}

// maskTail masks a secret cut short at the end of x (by the server),
// from minScrubLength characters on.
func (s *scrubber) maskTail(x string) string {
	if i, k := s.tail(x); k != nil {
		return x[:i] + k.repl
	}
	return x
}

// dropTail removes every start of a secret x ends with (and, from a
// line, the spaces before it: a line does not end with one).
func (s *scrubber) dropTail(x string, use textUse) string {
	for {
		i, k := s.tail(x)
		if k == nil {
			return x
		}
		x = x[:i]
		if use == lineText {
			x = strings.TrimRight(x, " ")
		}
	}
}

// tail finds the start of the longest start of a secret's spelling, of
// minScrubLength characters or more, that x ends with.
func (s *scrubber) tail(x string) (int, *knownSecret) {
	if s == nil {
		return 0, nil
	}
	for i := range s.secrets {
		k := &s.secrets[i]
		for _, form := range k.forms {
			f := form.Reveal()
			for n := min(len(f)-1, len(x)); n >= minScrubLength; n-- {
				if strings.HasSuffix(x, f[:n]) {
					return len(x) - n, k
				}
			}
		}
	}
	return 0, nil
}

// cleanHeader returns h, or a copy with credentials masked.
func (s *scrubber) cleanHeader(h http.Header) http.Header {
	var out http.Header
	for k, vs := range h {
		for i, v := range vs {
			if c := s.serverText(v, keptText, 0); c != v {
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
// while its text no longer holds a credential or an unprintable rune.
type scrubbedError struct {
	err  error
	text string
}

func (e *scrubbedError) Error() string { return e.text }
func (e *scrubbedError) Unwrap() error { return e.err }

// cleanErr returns err, or err with a cleaned text when it needed one.
func (s *scrubber) cleanErr(err error) error {
	if err == nil {
		return nil
	}
	if t := err.Error(); s.serverText(t, lineText, 0) != t {
		return &scrubbedError{err: err, text: s.serverText(t, lineText, 0)}
	}
	return err
}
