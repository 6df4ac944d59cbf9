package aistatstest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/ai-stats/aistats-go/internal/ids"
)

const (
	base62Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	keyNamespace   = "aistats_v1_sk_" // 2026-03: the only kind of key there is
	// 2026-07 tokens: management keys call the API, API keys call the gateway.
	managementKeyNamespace = "phaseo_v1_mk_"
	apiKeyNamespace        = "phaseo_v1_sk_"
	kidLength              = 12
	secretLength           = 40
	prefixLength           = 6
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
// <namespace>_<kid>_<secret> keys.
func newKeyMaterial() (kid, secret string) {
	return randomBase62(kidLength), randomBase62(secretLength)
}

func formatKey(kid, secret string) string { return formatToken(keyNamespace, kid, secret) }

func formatToken(namespace, kid, secret string) string { return namespace + kid + "_" + secret }

// newPepper is the per-server HMAC key that stands in for KEY_PEPPER_ACTIVE.
func newPepper() []byte {
	p := make([]byte, 32)
	_, _ = rand.Read(p)
	return p
}

// secretHash is what the 2026-07 server stores instead of a secret:
// HMAC-SHA256 under the pepper, in lower-case hex. An API key's hash is
// also its public alias ("hash" in the ApiKey object).
func (s *Server) secretHash(secret string) string {
	m := hmac.New(sha256.New, s.pepper)
	m.Write([]byte(secret))
	return hex.EncodeToString(m.Sum(nil))
}

// newUUID returns a random (version 4) UUID in canonical form.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return ids.FormatUUID(b[:])
}

// canonicalUUID accepts what Postgres' uuid input accepts (any case,
// optional braces, a hyphen after any group of four digits) and returns the
// lower-case canonical form, so ids match the way the database matches them.
func canonicalUUID(s string) (string, bool) { return ids.CanonicalUUID(s) }

// isLookupUUID is the /keys routes' test for "look this up by id": the
// dashed form with a version digit 1-5 and an RFC 4122 variant, any case.
// Anything else is looked up as a hash, so it can only be "not found".
func isLookupUUID(s string) bool {
	if !ids.IsDashedUUID(s) {
		return false
	}
	return s[14] >= '1' && s[14] <= '5' && (s[19] == '8' || s[19] == '9' || lower(s[19]) == 'a' || lower(s[19]) == 'b')
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
