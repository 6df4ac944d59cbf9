package aistats

// The transport over HTTP/2 (and h2c): stream resets, protocol errors and
// deadlines, and what each means for a mint's outcome.

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// h2Server is an httptest TLS server speaking HTTP/2, as the brief asks.
func h2Server(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.EnableHTTP2 = true
	// Enough streams for every test on one connection: a thousand TLS
	// handshakes at once overflow the listen backlog of a small machine,
	// with or without the SDK.
	srv.Config.HTTP2 = &http.HTTP2Config{MaxConcurrentStreams: 2000}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func h2Client(t *testing.T, srv *httptest.Server, opts ...Option) *Client {
	t.Helper()
	return newTestClient(t, srv.URL+"/v1", append([]Option{WithAPIKey(julyKey), WithHTTPClient(srv.Client())}, opts...)...)
}

// Sound: over HTTP/2, a Create whose stream is reset after the server read
// it is not retried and is an unknown outcome; one that times out too.
func TestH2CreateResetIsUnknownOutcome(t *testing.T) {
	for name, handler := range map[string]func(w http.ResponseWriter, r *http.Request){
		"abort": func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) },
		"slow": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			var posts atomic.Int64
			srv := h2Server(t, func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				posts.Add(1)
				handler(w, r)
			})
			c := h2Client(t, srv, WithTimeout(100*time.Millisecond))
			_, err := c.Keys.Create(context.Background(), &CreateKeyParams{Name: "x", Template: KeyTemplateReadOnly})
			if !errors.Is(err, ErrUnknownOutcome) {
				t.Errorf("want ErrUnknownOutcome, got %v", err)
			}
			if n := posts.Load(); n != 1 {
				t.Errorf("server saw %d POSTs, want 1", n)
			}
		})
	}
}

// The README promises a mint is "never retried once sent". net/http's
// HTTP/2 client resends a request whose stream the server reset with
// PROTOCOL_ERROR (golang/go#47635), on a new connection, whenever
// Request.GetBody is set, even after the whole body was written; and
// go-retryablehttp's SetBody always sets GetBody. The SDK sees one
// attempt with a GotConn, so nothing in retry.go can notice: two keys are
// minted and the caller gets attempts=1.
func TestH2ProtocolErrorResendsMint(t *testing.T) {
	var completed atomic.Int64
	ln := h2cMintServer(t, &completed)
	var p http.Protocols
	p.SetUnencryptedHTTP2(true)
	hc := &http.Client{Transport: &http.Transport{Protocols: &p}}
	c := newTestClient(t, "http://"+ln.Addr().String()+"/v1", WithAPIKey(julyKey), WithHTTPClient(hc), WithTimeout(5*time.Second))
	created, err := c.Keys.Create(context.Background(), &CreateKeyParams{Name: "x", Template: KeyTemplateReadOnly})
	n := completed.Load()
	t.Logf("created=%v err=%v; server received %d complete POSTs", created != nil, err, n)
	if n > 1 {
		t.Errorf("the server received the Create %d times: %d keys minted for one call", n, n)
	}
}

// h2cMintServer speaks just enough cleartext HTTP/2 (prior knowledge): on
// its first connection it resets every complete request with
// PROTOCOL_ERROR after reading it; on later ones it answers 201 with a
// created management key.
func h2cMintServer(t *testing.T, completed *atomic.Int64) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var conns atomic.Int64
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go serveH2C(conn, conns.Add(1) == 1, completed)
		}
	}()
	return ln
}

func serveH2C(conn net.Conn, reset bool, completed *atomic.Int64) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	preface := make([]byte, 24)
	if _, err := io.ReadFull(conn, preface); err != nil {
		return
	}
	var wmu sync.Mutex
	frame := func(typ, flags byte, stream uint32, payload []byte) {
		wmu.Lock()
		defer wmu.Unlock()
		h := make([]byte, 9, 9+len(payload))
		h[0], h[1], h[2] = byte(len(payload)>>16), byte(len(payload)>>8), byte(len(payload))
		h[3], h[4] = typ, flags
		binary.BigEndian.PutUint32(h[5:], stream)
		_, _ = conn.Write(append(h, payload...))
	}
	frame(4, 0, 0, nil) // SETTINGS
	hdr := make([]byte, 9)
	for {
		if _, err := io.ReadFull(conn, hdr); err != nil {
			return
		}
		n := int(hdr[0])<<16 | int(hdr[1])<<8 | int(hdr[2])
		typ, flags, stream := hdr[3], hdr[4], binary.BigEndian.Uint32(hdr[5:])&0x7fffffff
		payload := make([]byte, n)
		if _, err := io.ReadFull(conn, payload); err != nil {
			return
		}
		switch {
		case typ == 4 && flags&1 == 0: // SETTINGS: acknowledge
			frame(4, 1, 0, nil)
		case typ == 6 && flags&1 == 0: // PING
			frame(6, 1, 0, payload)
		case (typ == 0 || typ == 1) && flags&1 != 0: // END_STREAM: the request is complete
			completed.Add(1)
			if reset {
				frame(3, 0, stream, []byte{0, 0, 0, 1}) // RST_STREAM PROTOCOL_ERROR
				continue
			}
			frame(1, 4, stream, []byte{0x48, 3, '2', '0', '1'}) // HEADERS :status 201
			frame(0, 1, stream, []byte(julyMgmtCreated))        // DATA, END_STREAM
		}
	}
}

// A Create whose context is already cancelled sends nothing, so it is not
// reported (as it once was) as "outcome unknown, a key may have been created: list keys
// before trying again": the transport fails before asking for a
// connection, so the trace saw no GetConn and neverSent falls back to the
// error type (context.Canceled is not a dial error).
func TestPreCancelledMintIsNotUnknownOutcome(t *testing.T) {
	srv := newTestServer(t, jsonReply(201, julyMgmtCreated))
	c := newTestClient(t, srv.BaseURL(), WithAPIKey(julyKey))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	for name, ctx := range map[string]context.Context{"cancelled": ctx, "expired": expired} {
		_, err := c.Keys.Create(ctx, &CreateKeyParams{Name: "x", Template: KeyTemplateReadOnly})
		if err == nil {
			t.Fatalf("%s: want an error", name)
		}
		if errors.Is(err, ErrUnknownOutcome) {
			t.Errorf("%s: nothing was sent, but the error says a key may exist: %v", name, err)
		}
		_, err = c.APIKeys.Rotate(ctx, julyAPIKeyID, nil)
		if errors.Is(err, ErrUnknownOutcome) {
			t.Errorf("%s rotate: nothing was sent, but the error says a key may exist: %v", name, err)
		}
	}
	if n := srv.count(); n != 0 {
		t.Errorf("%d requests sent with a dead context", n)
	}
}

// Sound: a caller deadline shorter than the per-attempt timeout ends the
// call with the context's error (not an AttemptTimeoutError), promptly,
// over HTTP/2, with no retry of the mint.
func TestH2CallerDeadlineShorterThanAttempt(t *testing.T) {
	var n atomic.Int64
	srv := h2Server(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
	})
	c := h2Client(t, srv, WithTimeout(10*time.Second))
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Keys.Get(ctx, julyMgmtID)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s", d)
	}
	var ate *AttemptTimeoutError
	if !errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ate) {
		t.Errorf("want the caller's deadline, got %v", err)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("%d attempts after the caller's deadline", got)
	}
}
