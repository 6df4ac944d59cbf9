// Package ids checks the identifiers the API uses: UUIDs as Postgres reads
// them, the canonical 8-4-4-4-12 form, and API-key hashes (64 hex digits).
// The SDK and the fake share it, so both accept exactly the same ids.
package ids

import (
	"encoding/hex"
	"strings"
)

// IsUUID reports whether Postgres reads s as a UUID (see CanonicalUUID),
// without building the canonical form.
func IsUUID(s string) bool {
	_, ok := uuidDigits(s)
	return ok
}

// CanonicalUUID accepts what Postgres' uuid input accepts (any case,
// optional braces, a hyphen after any group of four digits) and returns the
// lower-case canonical form, so ids match the way the database matches them.
func CanonicalUUID(s string) (string, bool) {
	digits, ok := uuidDigits(s)
	if !ok {
		return "", false
	}
	var b [16]byte
	_, _ = hex.Decode(b[:], digits[:])
	return FormatUUID(b[:]), true
}

// uuidDigits returns the 32 hex digits of a Postgres UUID spelling, lower case.
func uuidDigits(s string) (digits [32]byte, ok bool) {
	if len(s) >= 2 && s[0] == '{' && s[len(s)-1] == '}' {
		s = s[1 : len(s)-1]
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' {
			// Postgres allows a hyphen only after a complete group of four
			// digits, never at the start or end, and never doubled.
			if n == 0 || n%4 != 0 || i == len(s)-1 || s[i+1] == '-' {
				return digits, false
			}
			continue
		}
		if !isHex(c) || n == 32 {
			return digits, false
		}
		digits[n] = lower(c)
		n++
	}
	return digits, n == 32
}

// FormatUUID renders 16 bytes as a canonical lower-case UUID.
func FormatUUID(b []byte) string {
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// IsDashedUUID reports whether s has the 8-4-4-4-12 hex form (any case),
// the only spelling the /keys routes look up by id; anything else they
// look up as a hash.
func IsDashedUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i]) {
				return false
			}
		}
	}
	return true
}

// IsKeyHash reports whether s is an API key's hash as the server stores
// it: 64 lower-case hex digits (HMAC-SHA256), or "deleted:<uuid>" once the
// key is deleted. The lookup is exact, so upper case could only be a 404.
func IsKeyHash(s string) bool {
	if rest, ok := strings.CutPrefix(s, "deleted:"); ok {
		return IsDashedUUID(rest)
	}
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
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
