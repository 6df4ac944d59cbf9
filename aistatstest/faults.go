package aistatstest

import (
	"net/http"
	"slices"
	"strconv"
	"time"
)

// FaultKind is what an injected fault does to a request.
type FaultKind int

const (
	// Respond answers with Fault.Status (default 500), Fault.Header and
	// Fault.Body without applying the request.
	Respond FaultKind = iota
	// DropBeforeApply reads the request, then closes the connection without
	// applying or answering it.
	DropBeforeApply
	// DropAfterApply applies the request (state changes), then closes the
	// connection without answering: the outcome is unknown to the client.
	DropAfterApply
	// Slow waits Fault.Delay, then handles the request normally. If the
	// client gives up first the request is not applied; if the server is
	// closed first the connection is dropped.
	Slow
	// Truncate applies the request, sends the headers with the full
	// Content-Length and only half the body, then closes the connection. The
	// client reads io.ErrUnexpectedEOF.
	Truncate
	// IgnoreOffset makes a list request return the first page whatever the
	// offset (2026-03 still echoes the requested offset), like a server
	// that ignores the parameter. It only matches list requests: GET
	// /v1/management/keys, /v1/management-keys and /v1/keys, whatever the
	// server's version.
	IgnoreOffset
	// ZeroTotal makes a list request report a count of 0 ("total" on
	// 2026-03, "total_count" on GET /v1/keys), as a server whose separate
	// count query came back empty does. It matches the list requests
	// IgnoreOffset matches; GET /v1/management-keys has no count, so there
	// it changes nothing.
	ZeroTotal
)

func (k FaultKind) String() string {
	switch k {
	case Respond:
		return "respond"
	case DropBeforeApply:
		return "drop-before-apply"
	case DropAfterApply:
		return "drop-after-apply"
	case Slow:
		return "slow"
	case Truncate:
		return "truncate"
	case IgnoreOffset:
		return "ignore-offset"
	case ZeroTotal:
		return "zero-total"
	}
	return "fault(" + strconv.Itoa(int(k)) + ")"
}

// Fault selects requests and says what goes wrong with them. The zero value
// answers the next request with a bare 500.
//
// Note: when a reused keep-alive connection closes before any response
// byte arrives, Go's http.Transport itself resends GET, HEAD, OPTIONS and
// TRACE requests (and any request with an Idempotency-Key header) once. A
// drop fault with Times 1 on a GET may therefore never reach the client as
// an error; use Times 2 or more, or a client without keep-alives, and check
// Requests.
type Fault struct {
	Kind FaultKind
	// Method restricts the fault to one method; "" matches any.
	Method string
	// Path restricts the fault to one exact path, either relative to /v1
	// ("/keys") or full ("/v1/keys"); "" matches any.
	Path string
	// Match, when set, must also return true. It runs without the server's
	// lock held, so it may call Server methods.
	Match func(Request) bool
	// OnRequest restricts the fault to the request with this arrival number
	// (Request.N); 0 matches any.
	OnRequest int
	// Times is how many matching requests the fault applies to: 0 means 1,
	// -1 means every matching request.
	Times int

	Status int           // Respond: the status (default 500)
	Body   string        // Respond: the body
	Header http.Header   // Respond, Slow, Truncate, IgnoreOffset, ZeroTotal: extra response headers
	Delay  time.Duration // Slow: how long to hold the request
}

// Name is the label recorded in Request.Fault, e.g. "respond 503".
func (f Fault) Name() string {
	if f.Kind == Respond {
		return "respond " + strconv.Itoa(f.status())
	}
	return f.Kind.String()
}

func (f Fault) status() int {
	if f.Status == 0 {
		return http.StatusInternalServerError
	}
	return f.Status
}

// matches reports whether the fault's static conditions and predicate
// select req.
func (f Fault) matches(req Request) bool {
	if f.Method != "" && f.Method != req.Method {
		return false
	}
	if f.Path != "" && f.Path != req.Path && apiPrefix+f.Path != req.Path {
		return false
	}
	if f.Kind == IgnoreOffset || f.Kind == ZeroTotal {
		if !isListRequest(req) {
			return false
		}
	}
	if f.OnRequest != 0 && f.OnRequest != req.N {
		return false
	}
	return f.Match == nil || f.Match(req)
}

// listPaths are the list routes of both generations.
var listPaths = []string{apiPrefix + keysPath, apiPrefix + managementKeysPath, apiPrefix + apiKeysPath}

func isListRequest(req Request) bool {
	return (req.Method == http.MethodGet || req.Method == http.MethodHead) && slices.Contains(listPaths, req.Path)
}

// InjectedFault is a fault registered with Server.Inject. Its fault is a
// private copy, so changing the Fault value afterwards has no effect.
type InjectedFault struct {
	fault     Fault
	s         *Server
	remaining int // -1: unlimited
	applied   int
}

// Fault returns the registered fault.
func (f *InjectedFault) Fault() Fault { return f.fault }

// Applied returns how many requests the fault has been applied to.
func (f *InjectedFault) Applied() int {
	f.s.mu.Lock()
	defer f.s.mu.Unlock()
	return f.applied
}

// Remaining returns how many more requests the fault will apply to, or -1
// if it is unlimited.
func (f *InjectedFault) Remaining() int {
	f.s.mu.Lock()
	defer f.s.mu.Unlock()
	return f.remaining
}

// Inject registers a fault. Faults are checked in insertion order and the
// first live one that matches a request is applied to it (at most one per
// request). Faults run before authentication and routing, like a failing
// proxy in front of the API.
func (s *Server) Inject(f Fault) *InjectedFault {
	f.Header = f.Header.Clone() // the caller may reuse its map
	in := &InjectedFault{fault: f, s: s, remaining: f.Times}
	if f.Times == 0 {
		in.remaining = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, in)
	return in
}

// FaultsApplied returns how many requests got a fault since NewServer or the
// last Reset.
func (s *Server) FaultsApplied() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faultsApplied
}
