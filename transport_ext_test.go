package aistats_test

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ai-stats/aistats-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// (6) A 2xx body over 10 MiB is refused while reading, with or without a
// Content-Length, and the call returns promptly.
func TestOversizedResponseIsRefused(t *testing.T) {
	t.Parallel()
	const size = 11 << 20
	for _, chunked := range []bool{false, true} {
		t.Run("chunked="+strconv.FormatBool(chunked), func(t *testing.T) {
			t.Parallel()
			var hits atomic.Int64
			written := make(chan int, 4)
			srv := secServer(t, func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				limit := 256 << 20 // a chunked stream runs until the client hangs up
				if !chunked {
					limit = size
					w.Header().Set("Content-Length", strconv.Itoa(size))
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusOK)
				chunk := append([]byte(`{"ok":true,"keys":[`), bytes.Repeat([]byte(" "), 32<<10)...)
				n := 0
				for n < limit {
					k, err := w.Write(chunk[:min(len(chunk), limit-n)])
					n += k
					if err != nil {
						break
					}
					if chunked {
						w.(http.Flusher).Flush()
					}
					chunk = chunk[:32<<10]
				}
				written <- n
			})
			c, jc := secClient(t, srv.URL), secJulyClient(t, srv.URL)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			for op, call := range map[string]func() error{
				"List":                   func() error { return errOnly(c.Keys.List(ctx, nil)) },
				"Create":                 func() error { return errOnly(c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "k"})) },
				"2026-07 APIKeys.Rotate": func() error { return errOnly(jc.APIKeys.Rotate(ctx, leakAPIKeyID, nil)) },
			} {
				before := hits.Load()
				err := call()
				require.ErrorIs(t, err, aistats.ErrResponseTooLarge, op)
				assert.NotErrorIs(t, err, context.DeadlineExceeded, op)
				assert.Equal(t, before+1, hits.Load(), "%s: an oversized body is not retried", op)
				if chunked {
					select {
					case n := <-written:
						assert.Less(t, n, 256<<20, "%s: the client hung up instead of reading the stream", op)
					case <-time.After(10 * time.Second):
						t.Errorf("%s: the server is still streaming 10s after the call returned", op)
					}
				}
			}
		})
	}
}

// (6) A 2xx answer the SDK cannot decode is a *DecodeError with the status
// and the first bytes of the body; nothing panics.
func TestUndecodable2xxIsDecodeError(t *testing.T) {
	t.Parallel()
	html := `<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>` + strings.Repeat("<p>cloudflare</p>", 100) + `</body></html>`
	tests := []struct {
		op, ctype, body string
		status          int
	}{
		{"List", "application/json", `{"ok":true,"keys":[`, 200},
		{"List", "application/json", `{"ok":true,"items":[]}`, 200},
		{"List", "application/json", `[]`, 200},
		{"List", "application/json", `{"ok":true,"keys":{"id":"x"}}`, 200},
		{"List", "application/json", `{"ok":true,"keys":[{"id":"x","created_at":"yesterday"}]}`, 200},
		{"List", "text/html", html, 200},
		{"List", "application/json", ``, 200},
		{"Get", "application/json", `{"ok":true}`, 200},
		{"Get", "application/json", `{"ok":true,"key":"abc"}`, 200},
		{"Get", "application/json", `{"ok":true,"key":{"scopes":42}}`, 200},
		{"Get", "text/plain", `OK`, 200},
		{"Get", "text/html", html, 203},
		{"Get", "application/json", ``, 204},
		{"Create", "application/json", `{"ok":true,"message":"created"}`, 201},
		{"Create", "application/json", `{"ok":true,"key":[1,2]}`, 201},
		{"Create", "text/html", html, 200},
		{"Update", "application/json", `{"ok":true,"key":{"created_at":12}}`, 200},
		{"Update", "text/html", html, 200},
		// 2026-07
		{"Keys.List07", "application/json", `{"ok":true,"keys":[]}`, 200},
		{"Keys.List07", "application/json", `{"data":{"id":"x"}}`, 200},
		{"Keys.Get07", "application/json", `{"data":[]}`, 200},
		{"Keys.Create07", "application/json", `{"data":{"id":"x"}}`, 201},
		{"APIKeys.List", "application/json", `{"data":[{"id":"x","created_at":"yesterday"}],"total_count":1}`, 200},
		{"APIKeys.List", "application/json", `{"data":null,"total_count":0}`, 200},
		{"APIKeys.List", "text/html", html, 200},
		{"APIKeys.Get", "application/json", `{"data":"abc"}`, 200},
		{"APIKeys.Get", "application/json", ``, 204},
		{"APIKeys.Update", "application/json", `{"data":{"limit":"lots"}}`, 200},
		{"APIKeys.Create", "application/json", `{"message":"created"}`, 201},
		{"APIKeys.Create", "text/html", html, 201},
		{"APIKeys.Rotate", "application/json", `{"data":{"id":"x"},"previous_key_expires_at":"soon"}`, 200},
		{"APIKeys.Rotate", "text/html", html, 200},
	}
	for _, tt := range tests {
		srv := secServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", tt.ctype)
			w.WriteHeader(tt.status)
			_, _ = w.Write([]byte(tt.body))
		})
		c, jc := secClient(t, srv.URL), secJulyClient(t, srv.URL)
		ctx := context.Background()
		var err error
		mint := false
		switch tt.op {
		case "Keys.List07":
			err = errOnly(jc.Keys.List(ctx, nil))
		case "Keys.Get07":
			err = errOnly(jc.Keys.Get(ctx, secKeyID))
		case "Keys.Create07":
			err, mint = errOnly(jc.Keys.Create(ctx, createKeyParams(july, "k"))), true
		case "APIKeys.List":
			err = errOnly(jc.APIKeys.List(ctx, nil))
		case "APIKeys.Get":
			err = errOnly(jc.APIKeys.Get(ctx, leakAPIKeyID))
		case "APIKeys.Update":
			err = errOnly(jc.APIKeys.Update(ctx, leakAPIKeyID, &aistats.UpdateAPIKeyParams{Name: aistats.Ptr("n")}))
		case "APIKeys.Create":
			err, mint = errOnly(jc.APIKeys.Create(ctx, &aistats.CreateAPIKeyParams{Name: "k"})), true
		case "APIKeys.Rotate":
			err, mint = errOnly(jc.APIKeys.Rotate(ctx, leakAPIKeyID, nil)), true
		case "List":
			err = errOnly(c.Keys.List(ctx, nil))
		case "Get":
			err = errOnly(c.Keys.Get(ctx, secKeyID))
		case "Create":
			err, mint = errOnly(c.Keys.Create(ctx, &aistats.CreateKeyParams{Name: "k"})), true
		case "Update":
			err = errOnly(c.Keys.Update(ctx, secKeyID, &aistats.UpdateKeyParams{Name: aistats.Ptr("n")}))
		}
		var de *aistats.DecodeError
		if !assert.ErrorAs(t, err, &de, "%s %d %.30q", tt.op, tt.status, tt.body) {
			continue
		}
		assert.Equal(t, tt.status, de.StatusCode)
		assert.NotEmpty(t, de.Method)
		assert.True(t, strings.HasPrefix(de.Path, "/v1/"), de.Path)
		if mint {
			// An answer that may carry a new secret keeps only its shape.
			assert.NotContains(t, string(de.Snippet), "cloudflare", "Create snippets hold no server text")
		} else {
			assert.Equal(t, tt.body[:min(len(tt.body), 512)], string(de.Snippet), "the first bytes are kept")
		}
		assert.NotErrorIs(t, err, aistats.ErrServer, "a 2xx is not a server error")
	}
}
