package aistatstest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
)

// Transport returns an http.RoundTripper that serves this server in
// process: no listener, no socket, no goroutine left behind. It answers
// requests to the host of srv.URL only; any other host is an error that
// names both, so a client pointed elsewhere fails at once instead of
// reaching the network. Put it under your own *http.Client (middleware,
// tracing) and pass that with aistats.WithHTTPClient:
//
//	client, err := aistats.NewClient(aistats.WithBaseURL(srv.URL), aistats.WithAPIKey(srv.ManagementKey),
//		aistats.WithHTTPClient(&http.Client{Transport: srv.Transport()}))
//
// Faults behave as they do on the wire: a drop is a transport error after
// the request was sent, a truncated body ends in io.ErrUnexpectedEOF, a
// Slow fault holds the request until its context ends, and after Close
// every request fails like a refused connection (nothing was sent).
func (s *Server) Transport() http.RoundTripper {
	u, _ := url.Parse(s.URL) // the server made it
	return &memTransport{s: s, host: u.Host}
}

type memTransport struct {
	s    *Server
	host string // of srv.URL
}

// inMemoryHosts numbers the hosts of NewClient's servers.
var inMemoryHosts atomic.Int64

// newInMemory builds a server that only its Transport answers.
func newInMemory(opts []ServerOption) *Server {
	s := buildServer(opts)
	s.URL = "https://aistatstest-" + strconv.FormatInt(inMemoryHosts.Add(1), 10) + ".invalid" + apiPrefix
	s.mem = &http.Client{Transport: s.Transport()}
	return s
}

func (t *memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	s := t.s
	raw, err := readRequestBody(req)
	if err != nil {
		return nil, err
	}
	if req.URL.Host != t.host {
		return nil, fmt.Errorf("aistatstest: this Transport serves %s (srv.URL), not %s", t.host, req.URL.Host)
	}
	if err := req.Context().Err(); err != nil {
		// A socket client sends nothing on a dead context; serving it here
		// could apply a create the caller was told did not happen.
		return nil, err
	}
	if !s.enter() {
		// What a client sees from a stopped listener: a dial error, which
		// proves nothing was sent.
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("aistatstest: server closed")}
	}
	ctx := req.Context()
	u := *req.URL // the handler may outlive RoundTrip (a Slow fault after a cancel)
	sr := (&http.Request{
		Method: req.Method, URL: &u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: req.Header.Clone(), Body: io.NopCloser(bytes.NewReader(raw)), ContentLength: int64(len(raw)),
		Host: req.URL.Host, RemoteAddr: "127.0.0.1:1", RequestURI: req.URL.RequestURI(),
	}).WithContext(ctx)
	w := &memWriter{header: http.Header{}}
	done := make(chan struct{})
	go func() {
		defer s.inflight.Done()
		defer close(done)
		s.serveHTTP(w, sr) // hangUp marks w rather than aborting the handler
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return w.response(req)
}

// enter counts a request in, unless the server is closed; Close waits for
// the requests counted.
func (s *Server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.inflight.Add(1)
	return true
}

// readRequestBody reads and closes the body, as a RoundTripper must.
func readRequestBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	defer req.Body.Close()
	raw, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, fmt.Errorf("aistatstest: reading the request body: %w", err)
	}
	return raw, nil
}

// memWriter records a handler's answer. Handlers write their whole answer
// before returning (a Slow fault waits before writing anything), so the
// response is built once the handler is done.
type memWriter struct {
	header      http.Header
	status      int // 0 until WriteHeader or Write
	body        bytes.Buffer
	hungUp      bool // hangUp was called
	wroteHeader bool
}

func (w *memWriter) Header() http.Header { return w.header }

func (w *memWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = code, true
	}
}

func (w *memWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

func (w *memWriter) Flush() { w.WriteHeader(http.StatusOK) }

// hangUp is the in-memory hangUp: the connection closes now.
func (w *memWriter) hangUp() { w.hungUp = true }

func (w *memWriter) response(req *http.Request) (*http.Response, error) {
	if w.hungUp && !w.wroteHeader {
		return nil, fmt.Errorf("aistatstest: the server closed the connection before answering: %w", io.EOF)
	}
	w.WriteHeader(http.StatusOK)
	data := w.body.Bytes()
	if req.Method == http.MethodHead {
		data = nil
	}
	length := int64(len(data))
	if cl, err := strconv.ParseInt(w.header.Get("Content-Length"), 10, 64); err == nil {
		length = cl
	}
	var body io.ReadCloser = io.NopCloser(bytes.NewReader(data))
	if w.hungUp {
		body = &cutBody{r: bytes.NewReader(data)}
	}
	return &http.Response{
		Status:     strconv.Itoa(w.status) + " " + http.StatusText(w.status),
		StatusCode: w.status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: w.header, Body: body, ContentLength: length, Request: req,
	}, nil
}

// cutBody is a body whose connection closed early: its bytes, then
// io.ErrUnexpectedEOF, as net/http reports a short Content-Length body.
type cutBody struct{ r *bytes.Reader }

func (b *cutBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

func (*cutBody) Close() error { return nil }
