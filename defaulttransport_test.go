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
)

// keyServer answers every request with detailJSON and counts the TCP
// connections it accepts.
func keyServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, detailJSON)
	}))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

// fakeTransport answers every request itself and records it.
type fakeTransport struct {
	n    atomic.Int64
	auth atomic.Value // string: the last Authorization header
}

func (f *fakeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f.n.Add(1)
	f.auth.Store(r.Header.Get("Authorization"))
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(detailJSON)), ContentLength: int64(len(detailJSON)), Request: r}, nil
}

// setDefaultTransport replaces http.DefaultTransport until the test ends.
// Tests that call it must not be parallel: the variable is process-wide.
func setDefaultTransport(t *testing.T, rt http.RoundTripper) {
	t.Helper()
	orig := http.DefaultTransport
	t.Cleanup(func() { http.DefaultTransport = orig })
	http.DefaultTransport = rt
}

func fetchKey(t *testing.T, c *Client) error {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("Get panicked: %v", p)
		}
	}()
	_, err := c.Keys.Get(context.Background(), testKeyID)
	return err
}

// NewClient used to panic when http.DefaultTransport was not an
// *http.Transport (plain gock.New replaces it, so do tracing wrappers).
// Now a replaced default transport carries the SDK's requests as it is,
// whether it was replaced before or after NewClient, and putting the
// original back restores the shared tuned transport.
func TestReplacedDefaultTransportCarriesRequests(t *testing.T) {
	srv, _ := keyServer(t)

	t.Run("replaced before NewClient", func(t *testing.T) {
		fake := &fakeTransport{}
		setDefaultTransport(t, fake)
		var c *Client
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("NewClient panicked: %v", p)
				}
			}()
			c = newTestClient(t, "https://api.example.test/v1")
		}()
		if err := fetchKey(t, c); err != nil {
			t.Fatal(err)
		}
		if got := fake.n.Load(); got != 1 {
			t.Fatalf("the replaced default transport carried %d requests; want 1", got)
		}
		if got := fake.auth.Load(); got != "Bearer "+testAPIKey {
			t.Errorf("Authorization %q reached the replaced transport; want the client's key", got)
		}
	})

	t.Run("replaced after NewClient, then restored", func(t *testing.T) {
		c := newTestClient(t, srv.URL+"/v1")
		if err := fetchKey(t, c); err != nil {
			t.Fatal(err)
		}
		fake := &fakeTransport{}
		orig := http.DefaultTransport
		setDefaultTransport(t, fake) // what gock.New does
		if err := fetchKey(t, c); err != nil {
			t.Fatal(err)
		}
		if got := fake.n.Load(); got != 1 {
			t.Fatalf("a client made before the replacement sent %d requests through it; want 1", got)
		}
		http.DefaultTransport = orig // what gock.Off does
		if got, want := defaultRoundTripper(), http.RoundTripper(sharedTransport()); got != want {
			t.Errorf("with the original default transport back, attempts use %T, not the shared tuned transport", got)
		}
		if err := fetchKey(t, c); err != nil {
			t.Fatal(err)
		}
		if got := fake.n.Load(); got != 1 {
			t.Errorf("the fake carried %d requests after it was removed; want 1", got)
		}
	})

	t.Run("func RoundTripper, not comparable", func(t *testing.T) {
		var n atomic.Int64
		fake := &fakeTransport{}
		setDefaultTransport(t, rtFunc(func(r *http.Request) (*http.Response, error) {
			n.Add(1)
			return fake.RoundTrip(r)
		}))
		if err := fetchKey(t, newTestClient(t, "https://api.example.test/v1")); err != nil {
			t.Fatal(err)
		}
		if n.Load() != 1 {
			t.Fatalf("the func RoundTripper carried %d requests; want 1", n.Load())
		}
	})

	t.Run("nil", func(t *testing.T) {
		setDefaultTransport(t, nil)
		if err := fetchKey(t, newTestClient(t, srv.URL+"/v1")); err != nil {
			t.Fatalf("with a nil http.DefaultTransport the shared transport carries the call: %v", err)
		}
	})
}

// Clients made without WithHTTPClient share one transport: a second client's
// first call reuses the connection the first client left idle, so making
// many short-lived clients neither opens a connection each nor leaks pools.
func TestClientsWithoutHTTPClientShareTransport(t *testing.T) {
	srv, conns := keyServer(t)
	for i := range 3 {
		if err := fetchKey(t, newTestClient(t, srv.URL+"/v1")); err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
	}
	if got := conns.Load(); got != 1 {
		t.Errorf("3 clients made without WithHTTPClient opened %d connections; want 1 (one shared pool)", got)
	}
	// The control: a client with its own transport does not see that pool.
	own := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	t.Cleanup(own.CloseIdleConnections)
	if err := fetchKey(t, newTestClient(t, srv.URL+"/v1", WithHTTPClient(own))); err != nil {
		t.Fatal(err)
	}
	if got := conns.Load(); got != 2 {
		t.Errorf("a client with its own transport reused the shared pool (%d connections; want 2)", got)
	}
}
