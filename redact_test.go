package aistats

// Second adversarial review: redaction. Each test pins a leak the review
// found and the fix closed.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// review2Key is a client key in a non-AI-Stats format with the characters
// that have several escaped spellings.
const review2Key = `sk-live-Ab3/dE+f"Gh9JkLmNoPqRsTuVwXyZ0123456789`

func review2Client(t *testing.T, base string, opts ...Option) *Client {
	t.Helper()
	return newTestClient(t, base, append([]Option{WithAPIKey(review2Key), WithAPIVersion(APIVersionJuly2026)}, opts...)...)
}

// leakCheck fails for every rendering of err that holds needle.
func leakCheck(t *testing.T, what string, err error, needle string) {
	t.Helper()
	renders := map[string]string{"Error()": err.Error()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		renders[verb] = fmt.Sprintf(verb, err)
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		renders["Code"], renders["Message"], renders["RequestID"] = apiErr.Code, apiErr.Message, apiErr.RequestID
		renders["Body"] = string(apiErr.Body)
		renders["Header"] = fmt.Sprint(apiErr.Header)
	}
	var de *DecodeError
	if errors.As(err, &de) {
		renders["Snippet"] = string(de.Snippet)
		renders["DecodeError.Err"] = de.Err.Error()
	}
	for where, s := range renders {
		if strings.Contains(s, needle) {
			t.Errorf("%s: %s holds %q", what, where, needle)
		}
	}
}

// The scrubber masks the client key only in the spellings it precomputed
// (raw, Go's JSON escaping, upper-case QueryEscape/PathEscape), and only on
// the raw bytes before JSON decoding. Other spellings of the same key pass.
func TestReview2KeyEscapedFormsNotMasked(t *testing.T) {
	// A JSON echo that escapes one character as \uXXXX (valid JSON, and what
	// several encoders do for '+', '/' or '"'): Message is decoded from the
	// scrubbed bytes, so it holds the raw key.
	jsonEcho := strings.ReplaceAll(strings.Replace(review2Key, "s", `\u0073`, 1), `"`, `\"`)
	// RFC 3986 percent-encoding with lower-case hex digits (equivalent to
	// the upper-case form the scrubber precomputes).
	lowerPct := strings.NewReplacer("/", "%2f", "+", "%2b", `"`, "%22").Replace(review2Key)
	htmlEcho := html.EscapeString(review2Key) // " becomes &#34;
	for name, tc := range map[string]struct {
		rep    reply
		needle string
	}{
		"json-u-escape": {jsonReply(400, `{"error":"bad_request","message":"bad token `+jsonEcho+`"}`), review2Key},
		"lowercase-pct": {reply{Status: 302, Header: http.Header{"Location": {"https://x.example/login?token=" + lowerPct}}}, lowerPct},
		"html-entities": {reply{Status: 502, Header: http.Header{"Content-Type": {"text/html"}}, Body: "<html><body>token " + htmlEcho + "</body></html>"}, htmlEcho},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newTestServer(t, tc.rep)
			c := review2Client(t, srv.BaseURL(), WithMaxRetries(0))
			_, err := c.Keys.Get(context.Background(), julyMgmtID)
			if err == nil {
				t.Fatal("want an error")
			}
			leakCheck(t, name, err, tc.needle)
		})
	}
}

// Bodies are cut (64 KiB for APIError.Body, 512 bytes for a DecodeError
// snippet) before the scrubber runs, so a key straddling the cut leaves
// its prefix unmasked.
func TestReview2KeyPrefixLeaksAtTruncation(t *testing.T) {
	prefix := review2Key[:30]
	t.Run("APIError.Body", func(t *testing.T) {
		body := strings.Repeat("a", maxErrorBody-30) + review2Key + "\n"
		srv := newTestServer(t, reply{Status: 400, Body: body})
		_, err := review2Client(t, srv.BaseURL()).Keys.Get(context.Background(), julyMgmtID)
		leakCheck(t, "400", err, prefix)
	})
	t.Run("DecodeError.Snippet", func(t *testing.T) {
		body := `{"data":"` + strings.Repeat("a", 512-30-9) + review2Key + `"}`
		srv := newTestServer(t, jsonReply(200, body))
		_, err := review2Client(t, srv.BaseURL()).Keys.Get(context.Background(), julyMgmtID)
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("want a DecodeError, got %v", err)
		}
		leakCheck(t, "200", err, prefix)
	})
	t.Run("DecodeError.Err %.40s", func(t *testing.T) {
		// wireTime quotes a non-string timestamp to 40 bytes.
		obj := strings.Replace(julyMgmtObject, `"created_at": "2026-08-20T10:11:12.345678+00:00"`,
			`"created_at": {"t":"`+strings.ReplaceAll(review2Key, `"`, `\"`)+`"}`, 1)
		srv := newTestServer(t, jsonReply(200, `{"data": `+obj+"}}"))
		_, err := review2Client(t, srv.BaseURL()).Keys.Get(context.Background(), julyMgmtID)
		if err == nil {
			t.Fatal("want a DecodeError")
		}
		leakCheck(t, "200", err, strings.ReplaceAll(review2Key, `"`, `\"`)[:30])
	})
}

// README: "aistats_…/phaseo_v1_… keys in server text are masked too" (in
// the list that names Header). APIError.Header only gets the client-key
// scrubber, never redactKeys.
func TestReview2PlaintextInHeaderNotMasked(t *testing.T) {
	srv := newTestServer(t, reply{Status: 403, Header: http.Header{"X-Debug-Key": {julySecret}}, Body: `{"error":"forbidden","message":"no"}`})
	_, err := review2Client(t, srv.BaseURL()).Keys.Get(context.Background(), julyMgmtID)
	leakCheck(t, "403", err, julySecret)
}

// A Create answer whose only problem is a timestamp that echoes the new
// plaintext: Snippet is safe (publicShape), but DecodeError.Err and so
// Error() quote the value ("unrecognised timestamp %q"), with no redaction.
// README: "A *DecodeError of a Create/Rotate answer keeps only the JSON
// structure and public fields, so no plaintext can reach it in any spelling."
func TestReview2CreateDecodeErrorTextCarriesPlaintext(t *testing.T) {
	body := strings.Replace(julyMgmtCreated, `"updated_at": "2026-08-20T10:11:12.345678+00:00"`, `"updated_at": "`+julyNewMK+`"`, 1)
	srv := newTestServer(t, jsonReply(201, body))
	c := review2Client(t, srv.BaseURL())
	created, err := c.Keys.Create(context.Background(), &CreateKeyParams{Name: "x", Template: KeyTemplateReadOnly})
	if created == nil || created.Secret.Reveal() != julyNewMK {
		t.Fatalf("the secret must still be delivered: %v", err)
	}
	leakCheck(t, "create", err, julyNewMK)
	leakCheck(t, "create", err, julyNewMK[len("phaseo_v1_mk_Hk29sd"):])
}

// TransportError and the debug log carry net/http's error text, which
// quotes a malformed status line verbatim. The client key is scrubbed
// there, but other AI Stats plaintexts are not.
func TestReview2MalformedStatusLineCarriesPlaintext(t *testing.T) {
	ln := rawStatusServer(t, julySecret)
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := review2Client(t, "http://"+ln.Addr().String()+"/v1", WithMaxRetries(1), WithLogger(logger))
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
func TestReview2MalformedStatusLineOwnKeyMasked(t *testing.T) {
	ln := rawStatusServer(t, "HTTP/1.1 2"+review2Key)
	c := review2Client(t, "http://"+ln.Addr().String()+"/v1", WithMaxRetries(0), WithTimeout(2*time.Second))
	_, err := c.Keys.Get(context.Background(), julyMgmtID)
	if err == nil {
		t.Fatal("want an error")
	}
	leakCheck(t, "transport", err, review2Key)
	leakCheck(t, "transport", err, strings.ReplaceAll(review2Key, `"`, `\"`))
}

// Secret is stored XORed with a 64-byte per-process pad. A 66-character
// phaseo key wraps the pad: bytes 64 and 65 use pad[0] and pad[1], which
// the fixed public prefix "ph" gives away. A reflection dump (testify's
// spew diff with DisableMethods, go-cmp) of one Secret therefore reveals
// the last two characters of the secret half.
func TestReview2MaskedSecretTailRecoverable(t *testing.T) {
	s := NewSecret(julySecret)
	masked := reflect.ValueOf(s).Field(0).String() // what a reflection dumper prints
	got := []byte{masked[64] ^ masked[0] ^ 'p', masked[65] ^ masked[1] ^ 'h'}
	if string(got) == julySecret[64:] {
		t.Errorf("recovered the key's tail %q from its masked form alone", got)
	}
}

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
