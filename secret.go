package aistats

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Secret holds a credential: the one-time plaintext of a created key, or the
// client's own API key. Every rendering of it is redacted (fmt with any verb,
// slog, encoding/json, errors); Reveal is the only way to read it.
//
// The value is stored masked, so reflection-based dumpers that bypass the
// String methods (go-spew in testify diffs, go-cmp) cannot print it either.
// The zero value is an empty secret.
type Secret struct {
	masked string
}

// secretPad masks stored secrets; it is random per process so a dump of one
// process's memory layout says nothing about another. It is longer than any
// key the API issues (66 bytes) or a typical OAuth token: with a pad shorter
// than the secret, the bytes past its end would reuse pad bytes that the
// secret's well-known prefix gives away. (Masking keeps secrets out of
// reflection dumps; it is not encryption.)
var secretPad = func() [4096]byte {
	var p [4096]byte
	_, _ = rand.Read(p[:])
	return p
}()

// maskSecret XORs s with the pad (masking and unmasking are the same
// operation), in one allocation.
func maskSecret(s string) string {
	b := make([]byte, len(s))
	xorPad(b, s)
	return unsafe.String(unsafe.SliceData(b), len(b)) // b is never written again
}

// xorPad writes src XOR the pad into dst (len(dst) == len(src)), eight
// bytes at a time.
func xorPad(dst []byte, src string) {
	src = src[:len(dst)]
	i := 0
	for ; i+8 <= len(dst); i += 8 { // i%4096 is a multiple of 8: a pad word never wraps
		m := src[i : i+8]
		w := uint64(m[0]) | uint64(m[1])<<8 | uint64(m[2])<<16 | uint64(m[3])<<24 |
			uint64(m[4])<<32 | uint64(m[5])<<40 | uint64(m[6])<<48 | uint64(m[7])<<56
		pad := binary.LittleEndian.Uint64(secretPad[uint(i)%uint(len(secretPad)):])
		binary.LittleEndian.PutUint64(dst[i:i+8], w^pad)
	}
	for ; i < len(dst); i++ {
		dst[i] = src[i] ^ secretPad[uint(i)%uint(len(secretPad))]
	}
}

// NewSecret wraps a plaintext credential.
func NewSecret(plaintext string) Secret {
	if plaintext == "" {
		return Secret{}
	}
	return Secret{masked: maskSecret(plaintext)}
}

// revealAfter returns prefix followed by the plaintext, built in one
// allocation (the Authorization header is made per request). The bytes are
// unmasked straight into the string's memory, as strings.Builder would.
func (s Secret) revealAfter(prefix string) string {
	b := make([]byte, len(prefix)+len(s.masked))
	xorPad(b[copy(b, prefix):], s.masked)
	return unsafe.String(unsafe.SliceData(b), len(b)) // b is never written again
}

// Reveal returns the plaintext. Call it only where the value must leave the
// program (shown once to a person, written to a secret store).
func (s Secret) Reveal() string { return maskSecret(s.masked) }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.masked == "" }

// Redacted returns the form used by every rendering: for an AI Stats key,
// the public part up to the key id's 6-character prefix (which the API also
// returns as Key.Prefix) followed by "…"; otherwise "[REDACTED]".
func (s Secret) Redacted() string {
	if s.masked == "" {
		return ""
	}
	plain := s.Reveal()
	// aistats_v1_sk_<kid>_<secret>: keep namespace, version, kind and the
	// first 6 characters of kid.
	parts := strings.SplitN(plain, "_", 5)
	if len(parts) == 5 && utf8.RuneCountInString(parts[3]) >= 12 && len(parts[4]) >= 16 {
		// Cut at a rune boundary: a server-sent key id need not be ASCII.
		kept := parts[0] + "_" + parts[1] + "_" + parts[2] + "_" + string([]rune(parts[3])[:6])
		if printableLine(kept) == kept && !strings.Contains(kept, " ") { // nothing hidden, nothing forged
			return kept + "…"
		}
	}
	return "[REDACTED]"
}

// String implements fmt.Stringer with the redacted form.
func (s Secret) String() string { return s.Redacted() }

// GoString implements fmt.GoStringer with the redacted form.
func (s Secret) GoString() string { return fmt.Sprintf("aistats.Secret(%q)", s.Redacted()) }

// Format makes every fmt verb (%v %+v %#v %s %q %x %d …) print the redacted form.
func (s Secret) Format(f fmt.State, verb rune) {
	switch verb {
	case 'q':
		fmt.Fprintf(f, "%q", s.Redacted())
	case 'v':
		if f.Flag('#') {
			_, _ = f.Write([]byte(s.GoString()))
			return
		}
		_, _ = f.Write([]byte(s.Redacted()))
	default:
		_, _ = f.Write([]byte(s.Redacted()))
	}
}

// LogValue implements slog.LogValuer with the redacted form.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.Redacted()) }

// MarshalJSON encodes the redacted form, so a CreatedKey can be logged or
// stored as JSON without leaking the plaintext.
func (s Secret) MarshalJSON() ([]byte, error) {
	return json.Marshal(s.Redacted())
}

// MarshalText encodes the redacted form (used by encoding/xml, yaml, slog's text handler for map keys).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.Redacted()), nil }
