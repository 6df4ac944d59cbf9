package aistats

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Any non-2xx answer is an *APIError whatever its size: matched by its
// sentinel, retried by the same policy, Body capped.
func TestHugeErrorBodiesStayAPIErrors(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("x", 11<<20)
	tests := []struct {
		status   int
		body     string
		want     error
		attempts int
	}{
		{503, `{"error":"busy","message":"` + huge + `"}`, ErrServer, 4},
		{503, huge, ErrServer, 4},
		{404, `{"error":"not_found","message":"` + huge + `"}`, ErrNotFound, 1},
		{500, "<html>" + huge, ErrServer, 4},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d %.10s", tt.status, tt.body), func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, reply{Status: tt.status, Body: tt.body})
			_, err := newJulyClient(t, srv.BaseURL()).Keys.Get(context.Background(), julyMgmtID)
			assert.ErrorIs(t, err, tt.want)
			assert.NotErrorIs(t, err, ErrResponseTooLarge)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.attempts, apiErr.Attempts)
			assert.Equal(t, tt.attempts, srv.count())
			assert.LessOrEqual(t, len(apiErr.Body), maxErrorBody)
			assert.Less(t, len(err.Error()), 1000)
		})
	}
	// A 2xx body over 10 MiB is still refused.
	srv := newTestServer(t, reply{Status: 200, Body: `{"data":"` + huge + `"}`})
	_, err := newJulyClient(t, srv.BaseURL()).Keys.Get(context.Background(), julyMgmtID)
	assert.ErrorIs(t, err, ErrResponseTooLarge)
}

// mintCall is one call that mints a secret, with the answer it expects.
type mintCall struct {
	name   string
	client func(t *testing.T, base string, opts ...Option) *Client
	body   func(keyField string) string // a valid answer whose key field is keyField
	call   func(c *Client) (secret Secret, id string, err error)
}

var mintCalls = []mintCall{
	{"2026-03 Keys.Create", newTestClient,
		func(k string) string {
			return `{"ok":true,"key":{"id":"` + testKeyID + `","name":"n","created_at":"not a time",` + k + `}}`
		},
		func(c *Client) (Secret, string, error) {
			r, err := c.Keys.Create(context.Background(), &CreateKeyParams{Name: "n"})
			if r == nil {
				return Secret{}, "", err
			}
			return r.Secret, r.ID, err
		}},
	{"2026-07 Keys.Create", newJulyClient,
		func(k string) string {
			return `{"data":{"id":"` + julyMgmtID + `","name":"n","scopes":{"bad":1},` + k + `}}`
		},
		func(c *Client) (Secret, string, error) {
			r, err := c.Keys.Create(context.Background(), &CreateKeyParams{Name: "n", Template: KeyTemplateReadOnly})
			if r == nil {
				return Secret{}, "", err
			}
			return r.Secret, r.ID, err
		}},
	{"2026-07 APIKeys.Create", newJulyClient,
		func(k string) string {
			return `{"data":{"id":"` + julyAPIKeyID + `","name":"n","limit":"twenty",` + k + `}}`
		},
		func(c *Client) (Secret, string, error) {
			r, err := c.APIKeys.Create(context.Background(), &CreateAPIKeyParams{Name: "n"})
			if r == nil {
				return Secret{}, "", err
			}
			return r.Secret, r.ID, err
		}},
	{"2026-07 APIKeys.Rotate", newJulyClient,
		func(k string) string {
			return `{"data":{"id":"` + julyAPIKeyID + `","name":"n",` + k + `},"previous_key_expires_at":"soon"}`
		},
		func(c *Client) (Secret, string, error) {
			r, err := c.APIKeys.Rotate(context.Background(), julyAPIKeyID, nil)
			if r == nil {
				return Secret{}, "", err
			}
			return r.Secret, r.ID, err
		}},
}

// A valid-JSON 2xx mint answer whose plaintext was read hands the secret
// over with a *DecodeError (KeyCreated); the snippet holds no secret in
// any spelling; a truncated answer stays an unknown outcome.
func TestMintAnswerPartlyUnreadable(t *testing.T) {
	t.Parallel()
	plaintexts := map[string]struct{ field, plain string }{
		"phaseo key":      {`"key":"` + julySecret + `"`, julySecret},
		"unknown prefix":  {`"key":"sk-live-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"`, "sk-live-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c"},
		"JSON-escaped":    {`"key":"phaseo\u005fv1\u005fsk\u005fQ7xk2Pa9LmZt\u005fXy3kP9qR2sT5vW8zB1cD4fG7hJ0kM3nP6rS9uV2w"`, julySecret},
		"escaped slashes": {`"key":"tok\/en\/Xy3kP9qR2sT5vW8zB1cD4fG7hJ0kM"`, "tok/en/Xy3kP9qR2sT5vW8zB1cD4fG7hJ0kM"},
	}
	for _, mc := range mintCalls {
		for name, p := range plaintexts {
			t.Run(mc.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				body := mc.body(p.field)
				require.True(t, json.Valid([]byte(body)), body)
				srv := newTestServer(t, jsonReply(201, body))
				secret, id, err := mc.call(mc.client(t, srv.BaseURL()))
				var de *DecodeError
				require.ErrorAs(t, err, &de)
				assert.True(t, de.KeyCreated)
				assert.NotErrorIs(t, err, ErrUnknownOutcome, "the key certainly exists")
				assert.Equal(t, p.plain, secret.Reveal(), "the secret is handed over")
				assert.NotEmpty(t, id, "and the id, to manage the key")
				out := err.Error() + fmt.Sprintf("|%v|%+v|%#v|%s", err, err, err, de.Snippet)
				for _, leak := range []string{p.plain, p.field, p.plain[len(p.plain)-12:]} {
					assert.NotContains(t, out, leak)
				}
				assert.Equal(t, 1, srv.count(), "never retried")
			})
		}
		t.Run(mc.name+"/truncated", func(t *testing.T) {
			t.Parallel()
			body := mc.body(`"key":"` + julySecret + `"`)
			srv := newTestServer(t, jsonReply(201, body[:len(body)-3]))
			secret, _, err := mc.call(mc.client(t, srv.BaseURL()))
			assert.ErrorIs(t, err, ErrUnknownOutcome)
			assert.True(t, secret.IsZero())
			assert.NotContains(t, err.Error()+fmt.Sprintf("%+v", err), julySecret[20:])
		})
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

// Server text in Error() is one printable line: no control, escape,
// bidi-override or line-separator characters.
func TestErrorTextIsOnePrintableLine(t *testing.T) {
	t.Parallel()
	nasty := "a\x1b[31mred\x00nul\u2028ls\u2029ps\u202Eevil\u2066iso\r\nnext\x7fdel\u0085nel\u200bzw\xff"
	esc, _ := json.Marshal(nasty)
	srv := newTestServer(t,
		reply{Status: 400, Header: http.Header{"X-Request-Id": {"id\u202Efdp.exe"}},
			Body: `{"error":` + string(esc) + `,"message":` + string(esc) + `}`})
	_, err := newJulyClient(t, srv.BaseURL()).Keys.Get(context.Background(), julyMgmtID)
	require.Error(t, err)
	assertOnePrintableLine(t, err.Error())

	// A cancelled call keeps both identities and is still one line.
	srv = newTestServer(t, reply{Status: 503, Body: `{"error":` + string(esc) + `}`})
	c := newJulyClient(t, srv.BaseURL(), WithRetryWait(time.Hour, time.Hour))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel) // after the first answer, even on a loaded machine
	_, err = c.Keys.Get(ctx, julyMgmtID)
	assert.ErrorIs(t, err, context.Canceled)
	var apiErr *APIError
	assert.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, ErrServer)
	assertOnePrintableLine(t, err.Error())

	// A timed-out call too.
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = c.Keys.Get(ctx, julyMgmtID)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assertOnePrintableLine(t, err.Error())
}

func assertOnePrintableLine(t *testing.T, s string) {
	t.Helper()
	for _, r := range s {
		if unsafeRune(r) || r == '\n' || r == '\r' || r == '\u0085' {
			t.Errorf("error text holds %U: %q", r, s)
		}
	}
}

// "Request never sent" means exactly that: a Create whose connection was
// never established within the per-attempt timeout is retried like a
// refused dial, and creates one key.
func TestCreateRetriedWhenConnectionNeverOpened(t *testing.T) {
	t.Parallel()
	var created atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		created.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		_, _ = w.Write([]byte(julyMgmtCreated))
	}))
	t.Cleanup(srv.Close)
	var dials atomic.Int64
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) == 1 {
			<-ctx.Done() // a SYN nobody answers: the per-attempt timeout ends it
			return nil, ctx.Err()
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	c := newJulyClient(t, srv.URL+"/v1", WithHTTPClient(&http.Client{Transport: tr}), WithTimeout(500*time.Millisecond))
	key, err := c.Keys.Create(context.Background(), &CreateKeyParams{Name: "n", Template: KeyTemplateReadOnly})
	require.NoError(t, err)
	assert.Equal(t, julyNewMK, key.Secret.Reveal())
	assert.Equal(t, int64(1), created.Load(), "exactly one key")
	assert.Equal(t, int64(2), dials.Load())

	// Once the request may have been written, a timeout is an unknown outcome.
	slow := newTestServer(t, reply{Status: 201, Body: julyMgmtCreated, Delay: time.Second})
	c = newJulyClient(t, slow.BaseURL(), WithTimeout(100*time.Millisecond))
	_, err = c.Keys.Create(context.Background(), &CreateKeyParams{Name: "n", Template: KeyTemplateReadOnly})
	assert.ErrorIs(t, err, ErrUnknownOutcome)
	assert.Equal(t, 1, slow.count())
}
