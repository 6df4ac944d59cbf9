package aistats

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
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

// Reading a create or rotate answer (mint.go): the plaintext comes only
// from the field named exactly "key", a half-read answer is an unknown
// outcome, and a mint is resent only when nothing reached the server.

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

const createdBody = `{"ok":true,"key":{"id":"9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40","name":"CI","prefix":"Q7xk2P","status":"active","scopes":"[\"read\"]","created_at":"2026-03-10T14:02:11.482+00:00","key":"aistats_v1_sk_Q7xk2Pa9LmZt_Zq8XwV7uT6sR5pO4nM3lK2jI1hG0fE9dC8bA7y"}}`

// Finding: ctx cancelled after the 201 (with the one-time plaintext) was fully
// read: the created key is discarded and the error does NOT match ErrUnknownOutcome.
func TestCreateCancelledAfterFull201DeliversKey(t *testing.T) {
	mints := []struct {
		name    string
		version APIVersion
		status  int
		body    string
		mint    func(ctx context.Context, c *Client) (Secret, error)
	}{
		{"2026-03 Keys.Create", APIVersionMarch2026, 201, createdBody, func(ctx context.Context, c *Client) (Secret, error) {
			k, err := c.Keys.Create(ctx, &CreateKeyParams{Name: "CI"})
			return secretOf(k, err, func() Secret { return k.Secret })
		}},
		{"2026-07 Keys.Create", APIVersionJuly2026, 201, julyMgmtCreated, func(ctx context.Context, c *Client) (Secret, error) {
			k, err := c.Keys.Create(ctx, &CreateKeyParams{Name: "CI", Template: KeyTemplateReadOnly})
			return secretOf(k, err, func() Secret { return k.Secret })
		}},
		{"2026-07 APIKeys.Create", APIVersionJuly2026, 201, julyAPIKeyCreated, func(ctx context.Context, c *Client) (Secret, error) {
			k, err := c.APIKeys.Create(ctx, &CreateAPIKeyParams{Name: "CI"})
			return secretOf(k, err, func() Secret { return k.Secret })
		}},
		{"2026-07 APIKeys.Rotate", APIVersionJuly2026, 200, julyRotated, func(ctx context.Context, c *Client) (Secret, error) {
			k, err := c.APIKeys.Rotate(ctx, julyAPIKeyID, nil)
			return secretOf(k, err, func() Secret { return k.Secret })
		}},
	}
	for _, m := range mints {
		ctx, cancel := context.WithCancel(context.Background())
		c := newRTClient(t, rtFunc(func(r *http.Request) (*http.Response, error) {
			io.Copy(io.Discard, r.Body)
			cancel() // the caller's deadline/cancel arrives just as the answer completes
			return &http.Response{StatusCode: m.status, Header: http.Header{"Content-Type": {"application/json"}},
				Body: io.NopCloser(strings.NewReader(m.body)), ContentLength: int64(len(m.body)), Request: r}, nil
		}), WithAPIVersion(m.version))
		secret, err := m.mint(ctx, c)
		cancel()
		if err != nil {
			t.Errorf("%s: the answer was read in full before the cancel; the key must be delivered: %v", m.name, err)
			continue
		}
		if secret.IsZero() {
			t.Errorf("%s: the one-time secret was lost", m.name)
		}
	}
}
