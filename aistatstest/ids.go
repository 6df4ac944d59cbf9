package aistatstest

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"
)

const (
	base62Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	keyNamespace   = "aistats_v1_sk_"
	kidLength      = 12
	secretLength   = 40
	prefixLength   = 6
)

// randomBase62 draws n characters without modulo bias, like the server:
// bytes at or above 248 (the largest multiple of 62 that fits) are dropped.
func randomBase62(n int) string {
	const limit = 256 / len(base62Alphabet) * len(base62Alphabet)
	out := make([]byte, 0, n)
	buf := make([]byte, n)
	for len(out) < n {
		_, _ = rand.Read(buf)
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, base62Alphabet[int(b)%len(base62Alphabet)])
			}
		}
	}
	return string(out)
}

// newKeyMaterial returns a kid and a secret shaped like the server's
// aistats_v1_sk_<kid>_<secret> keys.
func newKeyMaterial() (kid, secret string) {
	return randomBase62(kidLength), randomBase62(secretLength)
}

func formatKey(kid, secret string) string { return keyNamespace + kid + "_" + secret }

// newUUID returns a random (version 4) UUID in canonical form.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b[:])
}

func formatUUID(b []byte) string {
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// canonicalUUID accepts what Postgres' uuid input accepts (any case,
// optional braces, a hyphen after any group of four digits) and returns the
// lower-case canonical form, so ids match the way the database matches them.
func canonicalUUID(s string) (string, bool) {
	if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
		s = s[1 : len(s)-1]
	}
	digits := make([]byte, 0, 32)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' {
			// Postgres allows a hyphen only after a complete group of four
			// digits, never at the start or end, and never doubled.
			if len(digits) == 0 || len(digits)%4 != 0 || i == len(s)-1 || s[i+1] == '-' {
				return "", false
			}
			continue
		}
		if !isHex(c) || len(digits) == 32 {
			return "", false
		}
		digits = append(digits, lower(c))
	}
	if len(digits) != 32 {
		return "", false
	}
	var b [16]byte
	_, _ = hex.Decode(b[:], digits)
	return formatUUID(b[:]), true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// newRequestID mimics the gateway's request ids: "G-" followed by a ULID
// (10 Crockford base32 characters of milliseconds, 16 of randomness).
func newRequestID(now time.Time) string {
	const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	var out [26]byte
	ms := uint64(now.UnixMilli())
	for i := 9; i >= 0; i-- {
		out[i] = crockford[ms&31]
		ms >>= 5
	}
	var r [16]byte
	_, _ = rand.Read(r[:])
	for i, b := range r {
		out[10+i] = crockford[b&31]
	}
	return "G-" + string(out[:])
}
