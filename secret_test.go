package aistats_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ai-stats/aistats-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// leakSecrets are the plaintexts of every mint, on both versions, with the
// redacted form each must show.
var leakSecrets = []struct{ name, plain, public string }{
	{"2026-03 key", leakKeyPlain, leakKeyPublic},
	{"2026-07 management key", leakMgmtPlain, leakMgmtPublic},
	{"2026-07 API key", leakAPIPlain, leakAPIPublic},
	{"2026-07 rotated API key", leakRotPlain, leakAPIPublic},
}

// leakResults are the results a mint returns holding plain: values and
// pointers of CreatedKey, CreatedAPIKey and RotatedAPIKey.
func leakResults(plain string) map[string]any {
	ck := leakCreatedKey(plain)
	ca := leakCreatedAPIKey(plain)
	ra := aistats.RotatedAPIKey{CreatedAPIKey: ca, PreviousKeyExpiresAt: aistats.Ptr(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))}
	return map[string]any{
		"CreatedKey": ck, "*CreatedKey": &ck,
		"CreatedAPIKey": ca, "*CreatedAPIKey": &ca,
		"RotatedAPIKey": ra, "*RotatedAPIKey": &ra,
	}
}

func leakCreatedAPIKey(plain string) aistats.CreatedAPIKey {
	return aistats.CreatedAPIKey{
		APIKey: aistats.APIKey{
			ID: leakAPIKeyID, Name: "CI pipeline", Prefix: "Q7xk2P", Status: aistats.KeyStatusActive,
			Limit: aistats.Ptr(25.0), LimitReset: aistats.LimitResetMonthly, WorkspaceID: leakWorkspaceID,
		},
		Secret: aistats.NewSecret(plain),
	}
}

func leakCreatedKey(plain string) aistats.CreatedKey {
	return aistats.CreatedKey{
		Key: aistats.Key{
			ID: "9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40", Name: "CI pipeline key", Prefix: "Q7xk2P",
			Status: aistats.KeyStatusActive, Scopes: aistats.Scopes{"read", "write"},
		},
		Secret: aistats.NewSecret(plain),
	}
}

func TestSecretFmtEveryVerb(t *testing.T) {
	t.Parallel()
	for _, ls := range leakSecrets {
		s := aistats.NewSecret(ls.plain)
		subjects := []struct {
			name string
			v    any
			// direct: fmt reaches Secret's methods, so the public part shows.
			direct bool
		}{
			{"value", s, true},
			{"pointer", &s, true},
			{"slice", []aistats.Secret{s}, false},
			{"map", map[string]aistats.Secret{"k": s}, false},
			{"interface field", struct{ V any }{s}, false},
			// fmt cannot call methods through an unexported field; it prints
			// the raw struct, which holds the value masked.
			{"unexported field", struct{ s aistats.Secret }{s}, false},
			{"error wrapping", fmt.Errorf("creating: %v", s), false},
		}
		for name, v := range leakResults(ls.plain) {
			subjects = append(subjects, struct {
				name   string
				v      any
				direct bool
			}{name, v, false})
		}
		for _, sub := range subjects {
			for _, verb := range fmtVerbs {
				out := fmt.Sprintf(verb, sub.v)
				assertNoLeak(t, ls.name+" "+sub.name+" "+verb, out, ls.plain)
				if sub.direct && verb != "%T" && verb != "%p" {
					assert.Contains(t, out, strings.TrimSuffix(ls.public, "…"), "%s %s %s should show the public part", ls.name, sub.name, verb)
				}
			}
		}
		assert.Equal(t, ls.public, fmt.Sprint(s))
		assert.Equal(t, `"`+ls.public+`"`, fmt.Sprintf("%q", s))
		assert.Equal(t, `aistats.Secret("`+ls.public+`")`, fmt.Sprintf("%#v", s))
		for name, v := range leakResults(ls.plain) {
			for _, verb := range []string{"%v", "%+v", "%s"} {
				assert.Contains(t, fmt.Sprintf(verb, v), ls.public, "%s %s %s shows the redacted secret", ls.name, name, verb)
			}
		}
	}
	assert.Contains(t, fmt.Sprintf("%+v", leakCreatedKey(leakKeyPlain)), "Secret: "+leakKeyPublic)
	assert.Equal(t, `aistats.CreatedAPIKey{ID: `+leakAPIKeyID+`, Name: "CI pipeline", Status: active, Prefix: Q7xk2P, Limit: $25/monthly, `+
		`Secret: `+leakAPIPublic+`}`, fmt.Sprint(leakCreatedAPIKey(leakAPIPlain)))
}

func TestSecretRedactedForms(t *testing.T) {
	t.Parallel()
	tail40 := strings.Repeat("a1B2", 10)
	tests := []struct {
		name, plain, want string
	}{
		{"gen A key", leakKeyPlain, leakKeyPublic},
		{"gen B management key", "phaseo_v1_mk_Hk29sdQwErTy_" + tail40, "phaseo_v1_mk_Hk29sd…"},
		{"gen B API key", leakAPIPlain, leakAPIPublic},
		{"gen B rotated API key", leakRotPlain, leakAPIPublic},
		{"secret with underscores", "aistats_v1_sk_" + leakKeyKID + "_" + tail40 + "_x_y", leakKeyPublic},
		{"not a key", "hunter2-correct-horse-battery", "[REDACTED]"},
		{"kid too short", "aistats_v1_sk_Q7xk2_" + tail40, "[REDACTED]"},
		{"secret too short", "aistats_v1_sk_" + leakKeyKID + "_short", "[REDACTED]"},
		{"only four parts", "aistats_v1_sk_" + leakKeyKID + tail40, "[REDACTED]"},
		{"one char", "x", "[REDACTED]"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		s := aistats.NewSecret(tt.plain)
		assert.Equal(t, tt.want, s.Redacted(), tt.name)
		assert.Equal(t, tt.want, s.String(), tt.name)
		assert.Equal(t, tt.plain, s.Reveal(), "%s: Reveal must return the exact plaintext", tt.name)
		if tt.plain != "" {
			assertNoLeak(t, tt.name, s.Redacted()+fmt.Sprintf("%v|%#v|%x", s, s, s), tt.plain)
		}
	}
}

// A server could send any text as the plaintext; the redacted form must
// stay valid UTF-8 (JSON would otherwise turn the cut rune into U+FFFD).
func TestSecretRedactedIsValidUTF8(t *testing.T) {
	t.Parallel()
	tail := strings.Repeat("a1B2", 10)
	for _, kid := range []string{"aéééééé", "ключключключ", "🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑"} {
		s := aistats.NewSecret("aistats_v1_sk_" + kid + "_" + tail)
		red := s.Redacted()
		assertNoLeak(t, kid, red, s.Reveal())
		assert.True(t, utf8.ValidString(red), "cut at a rune boundary: %q", red)
		assert.True(t, strings.HasPrefix(red, "aistats_v1_sk_") || red == "[REDACTED]", red)
	}
}

var debugLevel = &slog.HandlerOptions{Level: slog.LevelDebug}

func TestSecretSlog(t *testing.T) {
	t.Parallel()
	handlers := map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, debugLevel) },
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, debugLevel) },
	}
	for _, ls := range leakSecrets {
		s := aistats.NewSecret(ls.plain)
		results := leakResults(ls.plain)
		for name, mk := range handlers {
			var buf bytes.Buffer
			l := slog.New(mk(&buf))
			l.Info("value", "secret", s)
			l.Info("pointer", slog.Any("secret", &s))
			l.Info("slice", slog.Any("secrets", []aistats.Secret{s}))
			l.Info("group", slog.Group("g", slog.Any("secret", s), slog.Group("inner", "created", results["CreatedKey"])))
			l.With("secret", s).WithGroup("wg").Info("with", "secret", s)
			for rname, v := range results {
				l.Debug("result", slog.Any(rname, v))
			}
			out := buf.String()
			assertNoLeak(t, ls.name+" "+name+" handler", out, ls.plain)
			assert.Equal(t, 5+len(results), strings.Count(out, "\n"), "%s: one record per call", name)
			assert.Contains(t, out, strings.TrimSuffix(ls.public, "…"), "%s: the public part is logged", name)
		}
	}
}

func TestSecretJSON(t *testing.T) {
	t.Parallel()
	for _, ls := range leakSecrets {
		s := aistats.NewSecret(ls.plain)
		b, err := json.Marshal(s)
		require.NoError(t, err)
		assert.Equal(t, `"`+ls.public+`"`, string(b))

		subjects := leakResults(ls.plain)
		subjects["map"] = map[string]any{"s": s, "p": &s}
		for name, v := range subjects {
			b, err := json.Marshal(v)
			require.NoError(t, err, name)
			assertNoLeak(t, ls.name+" json "+name, string(b), ls.plain)
			assert.Contains(t, string(b), ls.public, name)
			b, err = json.MarshalIndent(v, "", "  ")
			require.NoError(t, err)
			assertNoLeak(t, ls.name+" json indent "+name, string(b), ls.plain)
			var back map[string]any
			require.NoError(t, json.Unmarshal(b, &back))
			if name != "map" {
				assert.Equal(t, ls.public, back["secret"], name)
			}
		}
		txt, err := s.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, ls.public, string(txt))
	}
}

func TestSecretInErrors(t *testing.T) {
	t.Parallel()
	for _, ls := range leakSecrets {
		s := aistats.NewSecret(ls.plain)
		r := leakResults(ls.plain)
		errs := []error{
			errors.New(fmt.Sprint(s)),
			fmt.Errorf("created %+v", r["CreatedKey"]),
			fmt.Errorf("wrap: %w", fmt.Errorf("key %s / %#v", s, r["*CreatedAPIKey"])),
			fmt.Errorf("rotated %v %+v %#v %s %q", r["RotatedAPIKey"], r["*RotatedAPIKey"], r["RotatedAPIKey"], r["*RotatedAPIKey"], r["RotatedAPIKey"]),
			errors.Join(errors.New(s.String()), fmt.Errorf("%q", s)),
		}
		for i, err := range errs {
			assertNoLeak(t, fmt.Sprintf("%s error %d", ls.name, i), err.Error()+fmt.Sprintf("|%+v|%#v", err, err), ls.plain)
		}
	}
}

// failRecorder is an assert.TestingT that keeps failure messages.
type failRecorder struct{ msgs []string }

func (r *failRecorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

func TestSecretReflectionDumpers(t *testing.T) {
	t.Parallel()
	other := "aistats_v1_sk_Hk29sdQwErTy_mW3pZr8TqY2vK6nB1xD9cF4hJ7sL0aG5eU8iO2wR"
	a, b := leakCreatedKey(leakKeyPlain), leakCreatedKey(other)

	// testify's diff dumps the values with go-spew, methods disabled.
	rec := &failRecorder{}
	assert.False(t, assert.Equal(rec, a, b), "different secrets must not compare equal")
	assert.False(t, assert.Equal(rec, &a, &b))
	assert.False(t, assert.Equal(rec, a.Secret, b.Secret))
	// 2026-07 results: an API key and its rotation.
	ca, cb := leakCreatedAPIKey(leakAPIPlain), leakCreatedAPIKey(leakRotPlain)
	ra := aistats.RotatedAPIKey{CreatedAPIKey: cb}
	assert.False(t, assert.Equal(rec, ca, cb))
	assert.False(t, assert.Equal(rec, &ca, &ra.CreatedAPIKey.APIKey))
	assert.False(t, assert.Equal(rec, aistats.RotatedAPIKey{CreatedAPIKey: ca}, ra))
	require.NotEmpty(t, rec.msgs)
	all := strings.Join(rec.msgs, "\n")
	assert.Contains(t, all, "Diff:", "testify printed a diff")
	assertNoLeak(t, "testify diff", all, leakKeyPlain, other, leakAPIPlain, leakRotPlain)
	assertNoLeak(t, "%#v", fmt.Sprintf("%#v|%#v", a, &b), leakKeyPlain, other)

	assert.True(t, assert.ObjectsAreEqual(a, leakCreatedKey(leakKeyPlain)))
	assert.False(t, assert.ObjectsAreEqual(a, b))

	// A reflect walk reaches the unexported storage, which must be masked.
	var strs []string
	collectStrings(reflect.ValueOf(&a), &strs, 0)
	assert.Contains(t, strs, "CI pipeline key", "the walk reached the key's fields")
	var sawStorage bool
	for _, s := range strs {
		assertNoLeak(t, "reflect walk", s, leakKeyPlain)
		sawStorage = sawStorage || len(s) == len(leakKeyPlain)
	}
	assert.True(t, sawStorage, "the walk reached the secret's storage")
}

// collectStrings gathers every string reachable from v, unexported fields included.
func collectStrings(v reflect.Value, out *[]string, depth int) {
	if depth > 20 || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, v.String())
	case reflect.Pointer, reflect.Interface:
		collectStrings(v.Elem(), out, depth+1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			collectStrings(v.Field(i), out, depth+1)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			collectStrings(v.Index(i), out, depth+1)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			collectStrings(it.Key(), out, depth+1)
			collectStrings(it.Value(), out, depth+1)
		}
	}
}

func TestSecretZeroAndEquality(t *testing.T) {
	t.Parallel()
	var zero aistats.Secret
	assert.True(t, zero.IsZero())
	assert.Equal(t, "", zero.Reveal())
	assert.Equal(t, "", zero.Redacted())
	assert.Equal(t, "", fmt.Sprintf("%v", zero))
	b, err := json.Marshal(zero)
	require.NoError(t, err)
	assert.Equal(t, `""`, string(b))
	assert.True(t, aistats.NewSecret("") == zero, "NewSecret(\"\") is the zero value")

	s1, s2 := aistats.NewSecret(leakKeyPlain), aistats.NewSecret(leakKeyPlain)
	assert.False(t, s1.IsZero())
	assert.True(t, s1 == s2, "same plaintext, same Secret")
	assert.True(t, reflect.DeepEqual(s1, s2))
	assert.True(t, reflect.DeepEqual(leakCreatedKey(leakKeyPlain), leakCreatedKey(leakKeyPlain)))
	assert.False(t, s1 == aistats.NewSecret(leakKeyPlain+"x"))
	assert.Equal(t, leakKeyPlain, s1.Reveal())
}
