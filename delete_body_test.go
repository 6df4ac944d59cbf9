package aistats

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// A 2xx Delete is a success whatever its body: Delete decodes nothing, so
// neither a body past the 10 MiB response cap nor one that breaks off can
// turn the server's "done" into an error (or a retry).
func TestDeleteSucceedsOnAny2xxBody(t *testing.T) {
	bodies := map[string]func(w http.ResponseWriter){
		"11 MiB body": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			chunk := strings.Repeat("x", 64<<10)
			for range 11 << 4 {
				if _, err := io.WriteString(w, chunk); err != nil {
					return
				}
			}
		},
		"declared 11 MiB": func(w http.ResponseWriter) {
			w.Header().Set("Content-Length", "11534336")
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, `{"deleted":true}`)
		},
		"cut short": func(w http.ResponseWriter) {
			conn, buf, err := http.NewResponseController(w).Hijack()
			if err != nil {
				return
			}
			defer conn.Close()
			_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"dele")
			_ = buf.Flush()
		},
		"not JSON": func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, "<html>deleted</html>")
		},
		"204, no body": func(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) },
	}
	deletes := map[string]struct {
		client func(t *testing.T, url string) *Client
		call   func(c *Client) error
	}{
		"2026-03 Keys.Delete": {func(t *testing.T, url string) *Client { return newTestClient(t, url) },
			func(c *Client) error { return c.Keys.Delete(context.Background(), testKeyID) }},
		"2026-07 Keys.Delete": {func(t *testing.T, url string) *Client { return newJulyClient(t, url) },
			func(c *Client) error { return c.Keys.Delete(context.Background(), julyMgmtID) }},
		"2026-07 APIKeys.Delete": {func(t *testing.T, url string) *Client { return newJulyClient(t, url) },
			func(c *Client) error { return c.APIKeys.Delete(context.Background(), julyAPIKeyID) }},
	}
	for dname, d := range deletes {
		for bname, body := range bodies {
			t.Run(dname+"/"+bname, func(t *testing.T) {
				t.Parallel()
				var n atomic.Int32
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					n.Add(1)
					body(w)
				}))
				t.Cleanup(srv.Close)
				require.NoError(t, d.call(d.client(t, srv.URL+"/v1")))
				require.EqualValues(t, 1, n.Load(), "one request, no retry")
			})
		}
	}
}

// A small {"deleted":true} is drained, so consecutive Deletes share one
// connection.
func TestDeleteKeepsTheConnection(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"deleted":true}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c := newJulyClient(t, srv.URL+"/v1")
	for range 3 {
		require.NoError(t, c.APIKeys.Delete(context.Background(), julyAPIKeyID))
	}
	require.EqualValues(t, 1, conns.Load())
}
