package aistats

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzKeyUnmarshal(f *testing.F) {
	for _, s := range fuzzKeyObjects {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"created_at":12}`))
	f.Add([]byte(`{"created_at":"2026-03-10 14:02:11.482+00","last_used_at":"2026-03-10T14:02:11+00"}`))
	f.Add([]byte(`{"key":"aistats_v1_sk_short_x"}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var k Key
		keyErr := json.Unmarshal(data, &k)
		var ck CreatedKey
		err := json.Unmarshal(data, &ck)
		if (keyErr == nil) != (err == nil) {
			t.Fatalf("Key and CreatedKey disagree: %v / %v", keyErr, err)
		}
		if err != nil {
			return
		}
		if !reflect.DeepEqual(k, ck.Key) {
			t.Fatalf("CreatedKey.Key differs from Key:\n%#v\n%#v", k, ck.Key)
		}
		var wire struct {
			Plaintext string `json:"key"`
		}
		_ = json.Unmarshal(data, &wire)
		plain := ck.Secret.Reveal()
		if plain != wire.Plaintext {
			t.Fatalf("Reveal() = %q, want the \"key\" field %q", plain, wire.Plaintext)
		}
		// The secret renders redacted: empty, [REDACTED], or a prefix of the
		// plaintext that leaves its secret part (16+ bytes) out.
		red := ck.Secret.Redacted()
		if !utf8.ValidString(red) {
			t.Fatalf("Redacted() of %q is not valid UTF-8: %q", plain, red)
		}
		for _, out := range []string{red, ck.Secret.String(), fuzzJSONString(t, ck.Secret)} {
			switch {
			case plain == "" && out == "":
			case out == "[REDACTED]":
			case strings.HasSuffix(out, "…") && strings.HasPrefix(plain, strings.TrimSuffix(out, "…")) &&
				len(plain)-len(strings.TrimSuffix(out, "…")) >= 6+1+16: // rest of the key id, "_", secret
			default:
				t.Fatalf("secret %q renders as %q", plain, out)
			}
		}
		// What the SDK decoded it can encode, and decode again unchanged.
		out, err := json.Marshal(ck.Key)
		if err != nil {
			t.Fatalf("re-marshal: %v", err)
		}
		var back Key
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("decoding our own output %s: %v", out, err)
		}
		fuzzSameKey(t, &ck.Key, &back)
	})
}

func fuzzJSONString(t *testing.T, s Secret) string {
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatalf("marshal secret: %v", err)
	}
	var str string
	if err := json.Unmarshal(b, &str); err != nil {
		t.Fatalf("secret marshals to %s: %v", b, err)
	}
	return str
}

func fuzzSameKey(t *testing.T, a, b *Key) {
	t.Helper()
	if !a.CreatedAt.Equal(b.CreatedAt) || (a.LastUsedAt == nil) != (b.LastUsedAt == nil) ||
		(a.LastUsedAt != nil && !a.LastUsedAt.Equal(*b.LastUsedAt)) {
		t.Fatalf("times changed: %v/%v -> %v/%v", a.CreatedAt, a.LastUsedAt, b.CreatedAt, b.LastUsedAt)
	}
	a2, b2 := *a, *b
	a2.CreatedAt, a2.LastUsedAt, b2.CreatedAt, b2.LastUsedAt = time.Time{}, nil, time.Time{}, nil
	if !reflect.DeepEqual(a2, b2) {
		t.Fatalf("round trip changed the key:\n%#v\n%#v", a2, b2)
	}
}
