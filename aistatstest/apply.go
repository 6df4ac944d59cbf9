package aistatstest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// admit numbers and records a request and picks the fault for it. The
// predicates run unlocked, so a fault can be used up between the check and
// the claim; the claim re-checks.
func (s *Server) admit(r *http.Request, raw []byte) *InjectedFault {
	s.mu.Lock()
	s.arrivals++
	n := s.arrivals
	candidates := slices.Clone(s.faults)
	s.mu.Unlock()

	req := newRequest(n, r, raw)
	var matching []*InjectedFault
	for _, f := range candidates {
		if f.fault.matches(req) {
			matching = append(matching, f)
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var chosen *InjectedFault
	for _, f := range matching {
		if f.remaining != 0 {
			chosen = f
			break
		}
	}
	if chosen != nil {
		if chosen.remaining > 0 {
			chosen.remaining--
		}
		chosen.applied++
		s.faultsApplied++
		req.Fault = chosen.fault.Name()
	}
	s.requests = append(s.requests, req)
	return chosen
}

// applyFault carries out f on the request; raw is its already-read body.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, raw []byte, f Fault) {
	switch f.Kind {
	case Respond:
		addHeaders(w.Header(), f.Header)
		if w.Header().Get("Content-Type") == "" && f.Body != "" {
			w.Header().Set("Content-Type", sniffContentType(f.Body))
		}
		w.WriteHeader(f.status())
		_, _ = w.Write([]byte(f.Body))
	case DropBeforeApply:
		hangUp(w)
	case DropAfterApply:
		s.route(discardWriter{header: http.Header{}}, r, raw, routeMods{})
		hangUp(w)
	case Slow:
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return // the client is gone; nobody will read an answer
		case <-s.closing:
			hangUp(w) // let Close finish instead of waiting out Delay
			return
		}
		addHeaders(w.Header(), f.Header)
		s.route(w, r, raw, routeMods{})
	case Truncate:
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		s.route(rec, r, raw, routeMods{})
		addHeaders(rec.header, f.Header)
		addHeaders(w.Header(), rec.header)
		w.Header().Set("Content-Length", strconv.Itoa(len(rec.body)))
		w.WriteHeader(rec.status)
		_, _ = w.Write(rec.body[:len(rec.body)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		hangUp(w)
	case IgnoreOffset, ZeroTotal:
		addHeaders(w.Header(), f.Header)
		s.route(w, r, raw, routeMods{ignoreOffset: f.Kind == IgnoreOffset, zeroTotal: f.Kind == ZeroTotal})
	default:
		s.route(w, r, raw, routeMods{})
	}
}

// hangUp closes the client's connection without a (complete) response.
func hangUp(w http.ResponseWriter) {
	if m, ok := w.(*memWriter); ok {
		m.hangUp()
		return
	}
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// Not hijackable (HTTP/2): ErrAbortHandler makes net/http reset the
	// stream without logging.
	panic(http.ErrAbortHandler)
}

func addHeaders(dst, src http.Header) {
	for k, vs := range src {
		for _, v := range vs {
			dst.Add(k, v)
		}
	}
}

func sniffContentType(body string) string {
	if b := strings.TrimSpace(body); b != "" && (b[0] == '{' || b[0] == '[') {
		return "application/json"
	}
	return "text/plain; charset=utf-8"
}

// recorder keeps a handler's response so a fault can mangle it.
type recorder struct {
	header http.Header
	status int
	body   []byte
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(code int)        { r.status = code }
func (r *recorder) Write(b []byte) (int, error) { r.body = append(r.body, b...); return len(b), nil }

// discardWriter swallows the response of a request that is applied but
// never answered.
type discardWriter struct{ header http.Header }

func (d discardWriter) Header() http.Header       { return d.header }
func (discardWriter) WriteHeader(int)             {}
func (discardWriter) Write(b []byte) (int, error) { return len(b), nil }
