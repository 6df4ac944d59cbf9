package aistats

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"unicode"
)

// Issue 15, "Every server string goes through one scrubber": one test a
// class, each with cases of its own (the corpus in hostile_corpus_test.go
// runs the same classes through every path).

// A Create or Rotate answer echoing the client's key, or someone else's,
// in a public field: the DecodeError snippet showed public fields without
// the scrubber.
func TestMintSnippetScrubsPublicFields(t *testing.T) {
	t.Parallel()
	for name, echo := range map[string]string{
		"client key":         review2Key,
		"client key cut":     review2Key[:16],
		"other sk":           hostileOtherSK,
		"other mk":           hostileOtherMK,
		"other 2026-03 key":  hostileOtherAIStats,
		"inside a sentence":  "Key " + hostileOtherSK + " rotated",
		"after a word char ": "token_" + hostileOtherSK,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body := strings.Replace(julyAPIKeyCreated, `"name": "CI pipeline"`, `"name": `+jsonString(echo), 1)
			body = strings.Replace(body, `"updated_at": null`, `"updated_at": 12`, 1) // breaks the decode after the secret
			rotated := strings.Replace(julyRotated, `"label": "CI pipeline"`, `"label": `+jsonString(echo), 1)
			rotated = strings.Replace(rotated, `"updated_at": null`, `"updated_at": 12`, 1)
			srv := newTestServer(t, jsonReply(201, body), jsonReply(200, rotated))
			c := review2Client(t, srv.BaseURL())
			created, err := c.APIKeys.Create(context.Background(), &CreateAPIKeyParams{Name: "n"})
			if created == nil || created.Secret.Reveal() != julySecret || !isKeyCreated(err) {
				t.Fatalf("want the key with a KeyCreated DecodeError, got %v, %v", created, err)
			}
			leakCheck(t, "create", err, echo)
			leakCheck(t, "create", err, echo[len(echo)-12:])
			r, err := c.APIKeys.Rotate(context.Background(), julyAPIKeyID, nil)
			if r == nil || !isKeyCreated(err) {
				t.Fatalf("want the key with a KeyCreated DecodeError, got %v", err)
			}
			leakCheck(t, "rotate", err, echo)
			leakCheck(t, "rotate", err, echo[len(echo)-12:])
		})
	}
}

// The client's key cut to 16 or more characters was masked in Message
// only (where the text ended with it); Body, Header, RequestID, Error()
// and the log lines kept it.
func TestClientKeyCutShortMaskedEverywhere(t *testing.T) {
	t.Parallel()
	for _, n := range []int{16, 17, 24, len(review2Key) - 1} {
		cut := review2Key[:n]
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			text := "token " + cut + " was refused"
			srv := newTestServer(t, reply{Status: 403,
				Header: http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"r-" + cut + "-1"}, "X-Debug": {text}},
				Body:   `{"error":"forbidden","message":` + jsonString(text) + `,"detail":` + jsonString(text) + `}`})
			logs := &logCapture{}
			c := review2Client(t, srv.BaseURL(), WithLogger(slog.New(logs)))
			_, err := c.Keys.Get(context.Background(), julyMgmtID)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("want an APIError, got %v", err)
			}
			leakCheck(t, "403", err, cut)
			if !strings.Contains(apiErr.Message, "was refused") || !strings.HasPrefix(apiErr.RequestID, "r-") {
				t.Errorf("the rest of the text must stay: %q, %q", apiErr.Message, apiErr.RequestID)
			}
			lines := logs.take()
			if len(lines) == 0 {
				t.Fatal("no log record")
			}
			for _, l := range lines {
				if strings.Contains(l, cut) {
					t.Errorf("log: %q", l)
				}
			}
		})
	}
	// 15 characters are not enough to tell an echo from chance: text
	// that merely shares them stays as it is.
	short := newScrubber(NewSecret(review2Key)).serverText("x "+review2Key[:15]+" y", lineText, 0)
	if short != "x "+review2Key[:15]+" y" {
		t.Errorf("a 15-character prefix inside text was changed: %q", short)
	}
}

// printableLine let invisible format characters through. No Cc or Cf rune
// survives, nor the tag block's unassigned code points.
func TestPrintableLineDropsEveryFormatCharacter(t *testing.T) {
	t.Parallel()
	probes := []rune{0xad, 0x180e, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xfff9, 0xfffa, 0xfffb,
		0x600, 0x6dd, 0x70f, 0x110bd, 0x13430, 0xfeff, 0x200b, 0x2028, 0x2029}
	for r := rune(0x1d173); r <= 0x1d17a; r++ {
		probes = append(probes, r)
	}
	for r := rune(0xe0000); r <= 0xe007f; r++ {
		probes = append(probes, r)
	}
	for _, rt := range []*unicode.RangeTable{unicode.Cf, unicode.Cc} {
		for _, rg := range rt.R16 {
			for r := rune(rg.Lo); r <= rune(rg.Hi); r += rune(rg.Stride) {
				probes = append(probes, r)
			}
		}
		for _, rg := range rt.R32 {
			for r := rune(rg.Lo); r <= rune(rg.Hi); r += rune(rg.Stride) {
				probes = append(probes, r)
			}
		}
	}
	for _, r := range probes {
		for _, in := range []string{string(r), "a" + string(r) + "b", "é" + string(r)} {
			out := printableLine(in)
			if strings.ContainsRune(out, r) && r != ' ' {
				t.Errorf("%U survives: %q -> %q", r, in, out)
			}
		}
	}
	// The fast path: plain ASCII comes back as it is, without a copy.
	if in := "GET /v1/keys: 404 Not Found"; printableLine(in) != in {
		t.Error("plain ASCII was changed")
	}
}

// A mint answer with "key" and a case variant lost the secret: encoding/json
// matches names case-insensitively, so a later "KEY": "" overwrote it.
func TestMintPlaintextReadByExactName(t *testing.T) {
	t.Parallel()
	apiKey := strings.TrimSuffix(strings.TrimSpace(julyAPIKeyCreated), "}") // {"data": {…, "key": "…"}
	apiKey = strings.TrimSuffix(strings.TrimSpace(apiKey), "}")
	for name, body := range map[string]string{
		"KEY after":            apiKey + `, "KEY": ""}}`,
		"Key after":            apiKey + `, "Key": "phaseo_v1_sk_wrong"}}`,
		"Kelvin sign after":    apiKey + `, "\u212aey": ""}}`,
		"escaped exact name":   strings.Replace(apiKey, `"key":`, `"k\u0065y":`, 1) + `, "KEY": ""}}`,
		"duplicate empty":      apiKey + `, "key": ""}}`,
		"duplicate null":       apiKey + `, "key": null}}`,
		"variant envelope":     apiKey + `}, "DATA": {"key": ""}}`,
		"variant before exact": strings.Replace(apiKey, `"key":`, `"KEY": "", "key":`, 1) + `}}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, jsonReply(201, body))
			c := newTestClient(t, srv.BaseURL(), WithAPIKey(julyKey), WithAPIVersion(APIVersionJuly2026))
			created, err := c.APIKeys.Create(context.Background(), &CreateAPIKeyParams{Name: "n"})
			if err != nil || created.Secret.Reveal() != julySecret {
				t.Fatalf("want the secret %q…, got %v, %v", julySecret[:20], created, err)
			}
		})
	}
	// Of two exact non-empty "key" fields the last wins, as JSON.parse reads it.
	srv := newTestServer(t, jsonReply(201, apiKey+`, "key": "`+hostileOtherSK+`"}}`))
	c := newTestClient(t, srv.BaseURL(), WithAPIKey(julyKey), WithAPIVersion(APIVersionJuly2026))
	if created, err := c.APIKeys.Create(context.Background(), &CreateAPIKeyParams{Name: "n"}); err != nil || created.Secret.Reveal() != hostileOtherSK {
		t.Errorf("duplicate keys: got %v, %v", created, err)
	}
	// Only a case variant carries it: encoding/json's reading is kept
	// rather than losing the only copy.
	srv = newTestServer(t, jsonReply(201, strings.Replace(apiKey, `"key":`, `"KEY":`, 1)+`}}`))
	c = newTestClient(t, srv.BaseURL(), WithAPIKey(julyKey), WithAPIVersion(APIVersionJuly2026))
	if created, err := c.APIKeys.Create(context.Background(), &CreateAPIKeyParams{Name: "n"}); err != nil || created.Secret.Reveal() != julySecret {
		t.Errorf("variant only: got %v, %v", created, err)
	}
}

// The same on every mint decoder: management keys on both versions and
// Rotate.
func TestMintPlaintextReadByExactNameEveryDecoder(t *testing.T) {
	t.Parallel()
	variant := func(body, secret string) string { // a case variant after the exact field
		return strings.Replace(body, `"key": "`+secret+`"`, `"key": "`+secret+`", "KEY": ""`, 1)
	}
	march := strings.Replace(createdJSON, `"key":"`+plaintextKey+`"`, `"key":"`+plaintextKey+`","Key":""`, 1)
	for name, tc := range map[string]struct {
		body, want string
		run        func(c *Client) (Secret, error)
	}{
		"Keys.Create 2026-07": {variant(julyMgmtCreated, julyNewMK), julyNewMK, func(c *Client) (Secret, error) {
			out, err := c.Keys.Create(context.Background(), &CreateKeyParams{Name: "n", Template: KeyTemplateReadOnly})
			if out == nil {
				return Secret{}, err
			}
			return out.Secret, err
		}},
		"APIKeys.Rotate": {variant(julyRotated, julySecret), julySecret, func(c *Client) (Secret, error) {
			out, err := c.APIKeys.Rotate(context.Background(), julyAPIKeyID, nil)
			if out == nil {
				return Secret{}, err
			}
			return out.Secret, err
		}},
		"Keys.Create 2026-03": {march, plaintextKey, func(c *Client) (Secret, error) {
			out, err := c.Keys.Create(context.Background(), &CreateKeyParams{Name: "n"})
			if out == nil {
				return Secret{}, err
			}
			return out.Secret, err
		}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if tc.body == julyMgmtCreated || tc.body == julyRotated || tc.body == createdJSON {
				t.Fatal("the fixture did not change")
			}
			srv := newTestServer(t, jsonReply(201, tc.body))
			v := APIVersionJuly2026
			if strings.Contains(name, "2026-03") {
				v = APIVersionMarch2026
			}
			c := newTestClient(t, srv.BaseURL(), WithAPIVersion(v))
			got, err := tc.run(c)
			if err != nil || got.Reveal() != tc.want {
				t.Fatalf("got %v, %v", got, err)
			}
		})
	}
}

// The error types clean their fields again in Error(): a value set or
// changed after the SDK built the error cannot bypass the scrubber.
func TestErrorTypesCleanFieldsSetByHand(t *testing.T) {
	t.Parallel()
	dirty := "x\u202e " + hostileOtherSK + "\U000E0041\n"
	for _, err := range []error{
		&APIError{StatusCode: 400, Code: dirty, Message: dirty, RequestID: dirty},
		&DecodeError{Method: "GET", Path: "/v1/keys", StatusCode: 200, Snippet: []byte(dirty), Err: errors.New(dirty)},
		&TransportError{Method: "GET", Path: "/v1/keys", Attempts: 1, Err: errors.New(dirty)},
		&UnknownOutcomeError{Err: &APIError{StatusCode: 502, Message: dirty}, op: "rotate"},
	} {
		s := err.Error()
		if strings.Contains(s, hostileOtherSK[26:]) {
			t.Errorf("%T: %q shows the key", err, s)
		}
		for _, r := range s {
			if unicode.In(r, unicode.Cc, unicode.Cf) || (r >= 0xe0000 && r <= 0xe007f) {
				t.Errorf("%T: %q holds %U", err, s, r)
			}
		}
	}
}

// FuzzServerText: whatever the server sends, a line has no Cc or Cf rune
// and no AI Stats key, and cleaning again changes nothing (Error() cleans
// the stored, already clean, fields again).
func FuzzServerText(f *testing.F) {
	for _, s := range hostileSeeds(f) {
		f.Add(s, 0)
		f.Add(s, 20)
	}
	for n := 0; n < 30; n += 3 { // a cap that falls inside a key
		f.Add(strings.Repeat("a", n)+review2Key, 24)
		f.Add(strings.Repeat("é", n)+hostileOtherSK+" "+review2Key, 40)
	}
	s := newScrubber(NewSecret(review2Key)).with(NewSecret(julyKey))
	f.Fuzz(func(t *testing.T, x string, max int) {
		max = int(uint(max)%400) + 1
		for _, use := range []textUse{keptText, lineText} {
			out := s.serverText(x, use, max)
			if again := s.serverText(out, use, max); again != out {
				t.Fatalf("not idempotent (%d): %q then %q", use, out, again)
			}
			if redactKeys(out) != out {
				t.Fatalf("a key survives: %q", out)
			}
			if use == lineText && printableLine(out) != out {
				t.Fatalf("not a printable line: %q", out)
			}
		}
	})
}

// The exact-name read costs a usual mint answer no allocation: only a
// body with a name encoding/json could confuse is scanned token by token.
func TestMintExactNameCheckIsFree(t *testing.T) {
	for _, body := range []string{julyAPIKeyCreated, julyRotated, julyMgmtCreated, createdJSON} {
		if mayFoldNames([]byte(body)) {
			t.Errorf("a usual answer takes the slow path: %.60s", body)
		}
		b := []byte(body)
		if n := testing.AllocsPerRun(100, func() { mayFoldNames(b) }); n != 0 {
			t.Errorf("%v allocations", n)
		}
	}
	for _, body := range []string{`{"KEY":1}`, `{"Data":1}`, `{"k\u0065y":1}`, "{\"\u212aey\":1}", `{"dAtA":1}`} {
		if !mayFoldNames([]byte(body)) {
			t.Errorf("%s: want the exact scan", body)
		}
	}
}

// Every Error() is a bounded log line, whatever length of server text the
// decoder or the network quotes.
func TestErrorTextIsBounded(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("x", 70<<10)
	body := `{"data": ` + strings.Replace(julyMgmtObject, `"created_at": "2026-08-20T10:11:12.345678+00:00"`, `"created_at": "`+huge+`"`, 1) + "}}"
	srv := newTestServer(t, jsonReply(200, body))
	_, err := newTestClient(t, srv.BaseURL(), WithAPIKey(julyKey)).Keys.Get(context.Background(), julyMgmtID)
	for _, err := range []error{err, &TransportError{Method: "GET", Path: "/v1/keys", Attempts: 1, Err: errors.New(huge)}} {
		if err == nil || len(err.Error()) > 2000 {
			t.Errorf("%T: Error() is %d bytes", err, len(fmt.Sprint(err)))
		}
	}
}

// A secret shaped like a key but with invisible runes in its public part
// prints as [REDACTED]: its redacted form would carry them.
func TestSecretRedactedHasNoInvisibleRunes(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"phaseo_v1_sk_\u202eQ7xk2Pa9LmZt_" + strings.Repeat("a", 40),
		"phas\u00adeo_v1_sk_Q7xk2Pa9LmZt_" + strings.Repeat("a", 40),
		"phaseo_v1_sk_Q7\U000E0041k2Pa9LmZt_" + strings.Repeat("a", 40),
	} {
		if got := NewSecret(s).Redacted(); got != "[REDACTED]" {
			t.Errorf("%q: got %q", s, got)
		}
	}
	if got := NewSecret(julySecret).Redacted(); got != "phaseo_v1_sk_Q7xk2P…" {
		t.Errorf("a plain key: got %q", got)
	}
}
