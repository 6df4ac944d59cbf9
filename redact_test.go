package aistats

// Masking (redact.go, and secret.go's masked forms): every way server text
// or a secret can reach an error, a String() or a log line. Several tests
// pin a leak once found and since closed; their comments say which.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Guards a former leak: the scrubber masked the client key only in the spellings it precomputed
// (raw, Go's JSON escaping, upper-case QueryEscape/PathEscape), and only on
// the raw bytes before JSON decoding. Other spellings of the same key pass.
func TestClientKeyMaskedInEveryEscapedSpelling(t *testing.T) {
	// A JSON echo that escapes one character as \uXXXX (valid JSON, and what
	// several encoders do for '+', '/' or '"'): Message is decoded from the
	// scrubbed bytes, so it holds the raw key.
	jsonEcho := strings.ReplaceAll(strings.Replace(otherFormatKey, "s", `\u0073`, 1), `"`, `\"`)
	// RFC 3986 percent-encoding with lower-case hex digits (equivalent to
	// the upper-case form the scrubber precomputes).
	lowerPct := strings.NewReplacer("/", "%2f", "+", "%2b", `"`, "%22").Replace(otherFormatKey)
	htmlEcho := html.EscapeString(otherFormatKey) // " becomes &#34;
	for name, tc := range map[string]struct {
		rep    reply
		needle string
	}{
		"json-u-escape": {jsonReply(400, `{"error":"bad_request","message":"bad token `+jsonEcho+`"}`), otherFormatKey},
		"lowercase-pct": {reply{Status: 302, Header: http.Header{"Location": {"https://x.example/login?token=" + lowerPct}}}, lowerPct},
		"html-entities": {reply{Status: 502, Header: http.Header{"Content-Type": {"text/html"}}, Body: "<html><body>token " + htmlEcho + "</body></html>"}, htmlEcho},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newTestServer(t, tc.rep)
			c := otherFormatClient(t, srv.BaseURL(), WithMaxRetries(0))
			_, err := c.Keys.Get(context.Background(), julyMgmtID)
			if err == nil {
				t.Fatal("want an error")
			}
			leakCheck(t, name, err, tc.needle)
		})
	}
}

// Guards a former leak: bodies were cut (64 KiB for APIError.Body, 512
// bytes for a DecodeError snippet) before the scrubber ran, so a key
// straddling the cut left its prefix unmasked.
func TestClientKeyMaskedAcrossTheBodyCut(t *testing.T) {
	prefix := otherFormatKey[:30]
	t.Run("APIError.Body", func(t *testing.T) {
		body := strings.Repeat("a", maxErrorBody-30) + otherFormatKey + "\n"
		srv := newTestServer(t, reply{Status: 400, Body: body})
		_, err := otherFormatClient(t, srv.BaseURL()).Keys.Get(context.Background(), julyMgmtID)
		leakCheck(t, "400", err, prefix)
	})
	t.Run("DecodeError.Snippet", func(t *testing.T) {
		body := `{"data":"` + strings.Repeat("a", 512-30-9) + otherFormatKey + `"}`
		srv := newTestServer(t, jsonReply(200, body))
		_, err := otherFormatClient(t, srv.BaseURL()).Keys.Get(context.Background(), julyMgmtID)
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("want a DecodeError, got %v", err)
		}
		leakCheck(t, "200", err, prefix)
	})
	t.Run("DecodeError.Err %.40s", func(t *testing.T) {
		// wireTime quotes a non-string timestamp to 40 bytes.
		obj := strings.Replace(julyMgmtObject, `"created_at": "2026-08-20T10:11:12.345678+00:00"`,
			`"created_at": {"t":"`+strings.ReplaceAll(otherFormatKey, `"`, `\"`)+`"}`, 1)
		srv := newTestServer(t, jsonReply(200, `{"data": `+obj+"}}"))
		_, err := otherFormatClient(t, srv.BaseURL()).Keys.Get(context.Background(), julyMgmtID)
		if err == nil {
			t.Fatal("want a DecodeError")
		}
		leakCheck(t, "200", err, strings.ReplaceAll(otherFormatKey, `"`, `\"`)[:30])
	})
}

// README: "aistats_…/phaseo_v1_… keys in server text are masked too" (in
// the list that names Header). Guards a former leak: APIError.Header got
// only the client-key scrubber, never redactKeys.
func TestPlaintextInHeaderMasked(t *testing.T) {
	srv := newTestServer(t, reply{Status: 403, Header: http.Header{"X-Debug-Key": {julySecret}}, Body: `{"error":"forbidden","message":"no"}`})
	_, err := otherFormatClient(t, srv.BaseURL()).Keys.Get(context.Background(), julyMgmtID)
	leakCheck(t, "403", err, julySecret)
}

// Guards a former leak. A Create answer whose only problem is a timestamp that echoes the new
// plaintext: Snippet was safe (publicShape), but DecodeError.Err and so
// Error() quoted the value ("unrecognised timestamp %q"), with no redaction.
// README: "A *DecodeError of a Create/Rotate answer keeps only the JSON
// structure and public fields, so no plaintext can reach it in any spelling."
func TestCreateDecodeErrorTextHidesPlaintext(t *testing.T) {
	body := strings.Replace(julyMgmtCreated, `"updated_at": "2026-08-20T10:11:12.345678+00:00"`, `"updated_at": "`+julyNewMK+`"`, 1)
	srv := newTestServer(t, jsonReply(201, body))
	c := otherFormatClient(t, srv.BaseURL())
	created, err := c.Keys.Create(context.Background(), &CreateKeyParams{Name: "x", Template: KeyTemplateReadOnly})
	if created == nil || created.Secret.Reveal() != julyNewMK {
		t.Fatalf("the secret must still be delivered: %v", err)
	}
	leakCheck(t, "create", err, julyNewMK)
	leakCheck(t, "create", err, julyNewMK[len("phaseo_v1_mk_Hk29sd"):])
}

// TransportError and the debug log carry net/http's error text, which
// quotes a malformed status line verbatim. Guards a former leak: the
// client key was scrubbed there, but other AI Stats plaintexts were not.
func TestMalformedStatusLineHidesPlaintext(t *testing.T) {
	ln := rawStatusServer(t, julySecret)
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := otherFormatClient(t, "http://"+ln.Addr().String()+"/v1", WithMaxRetries(1), WithLogger(logger))
	_, err := c.Keys.Get(context.Background(), julyMgmtID)
	var te *TransportError
	if !errors.As(err, &te) {
		t.Fatalf("want a TransportError, got %v", err)
	}
	leakCheck(t, "transport", err, julySecret)
	if strings.Contains(logs.String(), julySecret) {
		t.Errorf("the debug/warn log holds the plaintext:\n%s", logs.String())
	}
}

// Sound: the client's own key in a malformed status line is scrubbed.
func TestMalformedStatusLineOwnKeyMasked(t *testing.T) {
	ln := rawStatusServer(t, "HTTP/1.1 2"+otherFormatKey)
	c := otherFormatClient(t, "http://"+ln.Addr().String()+"/v1", WithMaxRetries(0), WithTimeout(2*time.Second))
	_, err := c.Keys.Get(context.Background(), julyMgmtID)
	if err == nil {
		t.Fatal("want an error")
	}
	leakCheck(t, "transport", err, otherFormatKey)
	leakCheck(t, "transport", err, strings.ReplaceAll(otherFormatKey, `"`, `\"`))
}

// Guards a former leak: Secret was stored XORed with a 64-byte per-process pad. A 66-character
// phaseo key wraps the pad: bytes 64 and 65 use pad[0] and pad[1], which
// the fixed public prefix "ph" gives away. A reflection dump (testify's
// spew diff with DisableMethods, go-cmp) of one Secret therefore reveals
// the last two characters of the secret half.
func TestMaskedSecretTailNotRecoverable(t *testing.T) {
	s := NewSecret(julySecret)
	masked := reflect.ValueOf(s).Field(0).String() // what a reflection dumper prints
	got := []byte{masked[64] ^ masked[0] ^ 'p', masked[65] ^ masked[1] ^ 'h'}
	if string(got) == julySecret[64:] {
		t.Errorf("recovered the key's tail %q from its masked form alone", got)
	}
}

// The hostile corpus (testdata/hostile_strings.txt, loaded by hostileStrings
// in helpers_test.go) runs through every
// path that turns server text into a string: APIError's fields and
// Error(), DecodeError on reads and mints, TransportError, the String() of
// every result type and the log records. Nothing it holds may show a
// credential, and nothing shown as a line may hold a Cc or Cf rune.

// rawStatusServer answers every request with statusLine and no headers: a
// malformed response that net/http quotes in its error.
func rawStatusServer(t *testing.T, statusLine string) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				_, _ = http.ReadRequest(bufio.NewReader(conn))
				_, _ = conn.Write([]byte(statusLine + "\r\n\r\n"))
			}()
		}
	}()
	return ln
}

func TestHostileCorpusAPIErrors(t *testing.T) {
	t.Parallel()
	withHostileCorpus(t, func(key string, hc *hostileCorpus) {
		srv := newHostileServer(t)
		logs := &logCapture{}
		c := newTestClient(t, srv.BaseURL(), WithAPIKey(key), WithAPIVersion(APIVersionJuly2026),
			WithMaxRetries(0), WithLogger(slog.New(logs)))
		ctx := context.Background()
		for i, e := range hc.entries {
			for name, rep := range map[string]reply{
				"flat":   {Status: 400, Header: hostileHeader(e, "application/json"), Body: `{"error":` + jsonString(e) + `,"message":` + jsonString(e) + `,"request_id":` + jsonString(e) + `}`},
				"nested": {Status: 404, Header: hostileHeader(e, "application/json"), Body: `{"error":{"code":` + jsonString(e) + `,"message":` + jsonString(e) + `,"request_id":` + jsonString(e) + `}}`},
				"reason": {Status: 401, Header: hostileHeader(e, "application/json"), Body: `{"error":"unauthorised","reason":` + jsonString(e) + `}`},
				"text":   {Status: 502, Header: hostileHeader(e, "text/html"), Body: "<html><title>" + e + "</title>" + e},
			} {
				t.Run(fmt.Sprintf("%.20s/%d/%s", key, i, name), func(t *testing.T) {
					srv.cur.Store(&rep)
					_, err := c.Keys.Get(ctx, julyMgmtID)
					hc.checkErr(t, err, e)
					// A mint's unknown outcome wraps the same APIError.
					_, err = c.APIKeys.Create(ctx, &CreateAPIKeyParams{Name: "n"})
					hc.checkErr(t, err, e)
					hc.checkLogs(t, logs)
				})
			}
		}
	})
}

func TestHostileCorpusDecodeErrors(t *testing.T) {
	t.Parallel()
	withHostileCorpus(t, func(key string, hc *hostileCorpus) {
		srv := newHostileServer(t)
		logs := &logCapture{}
		july := newTestClient(t, srv.BaseURL(), WithAPIKey(key), WithAPIVersion(APIVersionJuly2026), WithLogger(slog.New(logs)))
		march := newTestClient(t, srv.BaseURL(), WithAPIKey(key), WithAPIVersion(APIVersionMarch2026), WithLogger(slog.New(logs)))
		ctx := context.Background()
		for i, e := range hc.entries {
			js := jsonString(e)
			withTime := func(body, field string) string { // e where a timestamp belongs: the decoder quotes it
				return strings.Replace(body, `"`+field+`": "2026-08-20T10:11:12.345678+00:00"`, `"`+field+`": `+js, 1)
			}
			reads := map[string]string{
				"data": `{"data":` + js + `}`,
				"raw":  e,
				"time": `{"data": ` + withTime(julyMgmtObject, "created_at") + "}}",
			}
			for name, body := range reads {
				t.Run(fmt.Sprintf("%.20s/%d/read-%s", key, i, name), func(t *testing.T) {
					srv.cur.Store(&reply{Status: 200, Header: hostileHeader(e, "application/json"), Body: body})
					_, err := july.Keys.Get(ctx, julyMgmtID)
					if err == nil && e == "" {
						return // an empty timestamp is null
					}
					hc.checkErr(t, err, e)
				})
			}
			// A key whose every string is e decodes, and prints safely.
			t.Run(fmt.Sprintf("%.20s/%d/read-ok", key, i), func(t *testing.T) {
				obj := julyMgmtObject
				for _, f := range []string{"name", "prefix", "status"} {
					obj = regexp.MustCompile(`"`+f+`": "[^"]*"`).ReplaceAllLiteralString(obj, `"`+f+`": `+js)
				}
				obj = strings.Replace(obj, `"scopes": [`, `"scopes": [`+js+`,`, 1)
				srv.cur.Store(&reply{Status: 200, Header: hostileHeader(e, "application/json"), Body: `{"data": ` + obj + "}}"})
				k, err := july.Keys.Get(ctx, julyMgmtID)
				if err != nil {
					t.Fatal(err)
				}
				for _, verb := range []string{"%v", "%+v", "%s"} {
					hc.check(t, "Key "+verb, fmt.Sprintf(verb, k), true, true)
				}
			})
			// Mints: public fields echo e and a timestamp fails, so the
			// key comes back with a DecodeError whose snippet shows fields.
			public := func(body string) string {
				for _, f := range []string{"name", "label"} {
					body = strings.Replace(body, `"`+f+`": "CI pipeline"`, `"`+f+`": `+js, 1)
				}
				return strings.Replace(body, `"updated_at": null`, `"updated_at": `+js+`, "message": `+js, 1)
			}
			marchBody := strings.Replace(strings.Replace(createdJSON, `"name":"CI pipeline key"`, `"name":`+js, 1),
				`"created_at":"2026-03-10T14:02:11.482+00:00"`, `"created_at":`+js+`,"message":`+js, 1)
			for name, call := range map[string]struct {
				body, secret string
				run          func() (Secret, error)
			}{
				"create": {public(julyAPIKeyCreated), julySecret, func() (Secret, error) {
					out, err := july.APIKeys.Create(ctx, &CreateAPIKeyParams{Name: "n"})
					return secretOrZero(out, err)
				}},
				"rotate": {public(julyRotated), julySecret, func() (Secret, error) {
					out, err := july.APIKeys.Rotate(ctx, julyAPIKeyID, nil)
					if out == nil {
						return Secret{}, err
					}
					return out.Secret, err
				}},
				"create-2026-03": {marchBody, plaintextKey, func() (Secret, error) {
					out, err := march.Keys.Create(ctx, &CreateKeyParams{Name: "n"})
					if out == nil {
						return Secret{}, err
					}
					return out.Secret, err
				}},
			} {
				t.Run(fmt.Sprintf("%.20s/%d/%s", key, i, name), func(t *testing.T) {
					srv.cur.Store(&reply{Status: 201, Header: hostileHeader(e, "application/json"), Body: call.body})
					got, err := call.run()
					if got.Reveal() != call.secret { // delivered whatever the rest of the answer says
						t.Fatalf("secret lost: %v", err)
					}
					if err == nil {
						return // e was a valid timestamp ("" is null)
					}
					hc.checkErr(t, err, e)
					hcMint := *hc
					hcMint.needles = append(hcMint.needles[:len(hcMint.needles):len(hcMint.needles)], call.secret, call.secret[len(call.secret)-20:])
					hcMint.checkErr(t, err, e)
				})
			}
			hc.checkLogs(t, logs)
		}
	})
}

func secretOrZero(out *CreatedAPIKey, err error) (Secret, error) {
	if out == nil {
		return Secret{}, err
	}
	return out.Secret, err
}

func TestHostileCorpusTransportErrors(t *testing.T) {
	t.Parallel()
	withHostileCorpus(t, func(key string, hc *hostileCorpus) {
		for i, e := range hc.entries {
			if strings.ContainsAny(e, "\r\n") || len(e) > 4<<10 {
				continue // the status line ends at a line break; a huge one is a header-size error
			}
			t.Run(fmt.Sprintf("%.20s/%d", key, i), func(t *testing.T) {
				t.Parallel()
				ln := rawStatusServer(t, "HTTP/1.1 2"+e)
				logs := &logCapture{}
				c := newTestClient(t, "http://"+ln.Addr().String()+"/v1", WithAPIKey(key), WithAPIVersion(APIVersionJuly2026),
					WithMaxRetries(1), WithLogger(slog.New(logs)))
				_, err := c.Keys.Get(context.Background(), julyMgmtID)
				hc.checkErr(t, err, e)
				hc.checkLogs(t, logs)
			})
		}
	})
}

// String() runs away from any client: it masks what looks like a
// credential and shows one printable line.
func TestHostileCorpusStringers(t *testing.T) {
	t.Parallel()
	withHostileCorpus(t, func(key string, hc *hostileCorpus) {
		for i, e := range hc.entries {
			k := Key{ID: e, Name: e, Prefix: e, Status: KeyStatus(e), Scopes: Scopes{e, e}, WorkspaceID: e, SoftBlocked: true}
			a := APIKey{ID: e, Hash: e, Name: e, Prefix: e, Status: KeyStatus(e), Limit: Ptr(1.5), LimitReset: LimitReset(e), WorkspaceID: e}
			ca := CreatedAPIKey{APIKey: a, Secret: NewSecret(e)}
			values := []any{k, &k, CreatedKey{Key: k, Secret: NewSecret(e)}, a, ca, RotatedAPIKey{CreatedAPIKey: ca},
				KeyPage{Keys: []*Key{&k}}, APIKeyPage{Keys: []*APIKey{&a}}, NewSecret(e), Scopes{e, "keys:read", e}}
			verbs := []string{"%v", "%+v", "%s"}
			if len(e) > 4<<10 {
				verbs = verbs[:1] // the same String(); a huge entry makes it slow under -race
			}
			for _, v := range values {
				for _, verb := range verbs {
					hc.check(t, fmt.Sprintf("%d %T %s", i, v, verb), fmt.Sprintf(verb, v), true, true)
				}
			}
		}
	})
}

// The client's key cut to 16 or more characters was masked in Message
// only (where the text ended with it); Body, Header, RequestID, Error()
// and the log lines kept it.
func TestClientKeyCutShortMaskedEverywhere(t *testing.T) {
	t.Parallel()
	for _, n := range []int{16, 17, 24, len(otherFormatKey) - 1} {
		cut := otherFormatKey[:n]
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			text := "token " + cut + " was refused"
			srv := newTestServer(t, reply{Status: 403,
				Header: http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"r-" + cut + "-1"}, "X-Debug": {text}},
				Body:   `{"error":"forbidden","message":` + jsonString(text) + `,"detail":` + jsonString(text) + `}`})
			logs := &logCapture{}
			c := otherFormatClient(t, srv.BaseURL(), WithLogger(slog.New(logs)))
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
	short := newScrubber(NewSecret(otherFormatKey)).serverText("x "+otherFormatKey[:15]+" y", lineText, 0)
	if short != "x "+otherFormatKey[:15]+" y" {
		t.Errorf("a 15-character prefix inside text was changed: %q", short)
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
		f.Add(strings.Repeat("a", n)+otherFormatKey, 24)
		f.Add(strings.Repeat("é", n)+hostileOtherSK+" "+otherFormatKey, 40)
	}
	s := newScrubber(NewSecret(otherFormatKey)).with(NewSecret(julyKey))
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

// The client's own key never appears in any error text, rendering, field
// or log line, even when the server echoes it, whatever its format.
func TestEchoedClientKeyNeverShown(t *testing.T) {
	t.Parallel()
	keys := map[string]string{
		"JWT":             "eyJhbGciOiJSUzI1NiJ9.eyJ1c2VyX2lkIjoiYWJjIiwid29ya3NwYWNlX2lkIjoid3MifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ",
		"sk-live":         "sk-live-9f8e7d6c5b4a39281706f5e4d3c2b1a0",
		"slashes and +":   "tok/en+with/slash=9f8e7d6c5b4a3928",
		"management key":  julyKey,
		"2026-03 gateway": testAPIKey,
	}
	for name, key := range keys {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			esc, _ := json.Marshal(key)
			echo := strings.Trim(string(esc), `"`)
			escSlash := strings.ReplaceAll(echo, "/", `\/`)
			bodies := []reply{
				jsonReply(401, `{"error":"unauthorised","reason":"bad token `+echo+`","request_id":"`+echo+`"}`),
				jsonReply(403, `{"error":"`+echo+`","message":"Bearer `+escSlash+`"}`),
				{Status: 502, Header: http.Header{"X-Request-Id": {key}, "X-Debug": {"Bearer " + key}}, Body: "<title>" + key + "</title>"},
				jsonReply(200, `{"data":{"id":"`+julyMgmtID+`","created_at":"`+echo+`"}}`),
			}
			for _, rep := range bodies {
				srv := newTestServer(t, rep)
				var logs bytes.Buffer
				c := newTestClient(t, srv.BaseURL(), WithAPIKey(key), WithAPIVersion(APIVersionJuly2026), WithMaxRetries(1),
					WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
				_, err := c.Keys.Get(context.Background(), julyMgmtID)
				require.Error(t, err)
				out := fmt.Sprintf("%s|%v|%+v|%#v|%q|", err, err, err, err, err) + logs.String()
				var apiErr *APIError
				if errors.As(err, &apiErr) {
					out += fmt.Sprintf("%s|%s|%s|%s|%v|%#v", apiErr.Code, apiErr.Message, apiErr.RequestID, apiErr.Body, apiErr.Header, *apiErr)
				}
				for _, leak := range []string{key, echo, escSlash} {
					assert.NotContains(t, out, leak, "status %d", rep.Status)
				}
			}
		})
	}
}

// revealAfter unmasks eight bytes at a time and the rest one by one: every
// length and prefix gives the plaintext back.
func TestRevealAfterEveryLength(t *testing.T) {
	t.Parallel()
	for n := range 200 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('!' + (i*7)%90)
		}
		s := NewSecret(string(b))
		for _, prefix := range []string{"", "Bearer "} {
			if got := s.revealAfter(prefix); got != prefix+string(b) {
				t.Fatalf("length %d, prefix %q: got %q", n, prefix, got)
			}
		}
	}
}

// Masking twice gives the plaintext back, for every length.
func TestMaskSecretRoundTrip(t *testing.T) {
	t.Parallel()
	for n := range 200 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i * 31)
		}
		if m := maskSecret(string(b)); len(m) != n || maskSecret(m) != string(b) || (n >= 8 && m == string(b)) {
			t.Fatalf("length %d: masking is not an involution", n)
		}
	}
}
