package aistatstest

import (
	"net/http"
	"strings"
)

const (
	apiPrefix = "/v1"
	keysPath  = "/management/keys" // 2026-03
)

// routeMods are the list-only faults; everything else routes normally.
type routeMods struct{ ignoreOffset, zeroTotal bool }

// call is one routed request.
type call struct {
	r    *http.Request
	raw  []byte // the body, already read
	id   string // the {id} path segment, still percent-encoded like the server sees it
	mods routeMods
	p    *principal // 2026-07: the authenticated management key
}

type handler func(s *Server, c *call) reply

// routeSpec is one route: a method and a path relative to /v1 with at
// most one {id} segment.
type routeSpec struct {
	method, path string
	h            handler
}

// dialect is what differs between API generations at the routing level.
type dialect struct {
	routes []routeSpec
	cors   func(http.Header)
	// authorize runs after routing and before any handler; on success it
	// may fill c.p.
	authorize func(s *Server, c *call) (reply, bool)
}

// march2026 is the 2026-03 generation: one resource, one fixed key.
var march2026 = &dialect{
	routes: []routeSpec{
		{http.MethodGet, keysPath, (*Server).listKeys},
		{http.MethodPost, keysPath, (*Server).createKey},
		{http.MethodGet, keysPath + "/{id}", (*Server).getKey},
		{http.MethodPatch, keysPath + "/{id}", (*Server).updateKey},
		{http.MethodDelete, keysPath + "/{id}", (*Server).deleteKey},
	},
	cors:      setCORS,
	authorize: func(s *Server, c *call) (reply, bool) { return s.authorize(c.r) },
}

// route mirrors the Hono app: CORS preflight first, then exact routes with
// no trailing-slash or method fallbacks (anything else is Hono's text 404),
// then the auth guard inside each handler before any validation.
func (s *Server) route(w http.ResponseWriter, r *http.Request, raw []byte, mods routeMods) {
	d := s.dialect
	if r.Method == http.MethodOptions {
		d.cors(w.Header())
		w.WriteHeader(http.StatusNoContent)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), apiPrefix)
	if !ok || rest != "" && rest[0] != '/' {
		textReply(http.StatusNotFound, textNotFound).write(w)
		return
	}
	d.cors(w.Header())
	h, id := d.match(r.Method, rest)
	if h == nil {
		textReply(http.StatusNotFound, textNotFound).write(w)
		return
	}
	c := &call{r: r, raw: raw, id: id, mods: mods}
	if rep, ok := d.authorize(s, c); !ok {
		rep.write(w)
		return
	}
	h(s, c).write(w)
}

// match finds the handler for a path relative to /v1.
func (d *dialect) match(method, rest string) (handler, string) {
	if method == http.MethodHead {
		method = http.MethodGet // Hono answers HEAD with the GET handler, minus the body
	}
	for _, rt := range d.routes {
		if rt.method != method {
			continue
		}
		if id, ok := matchPath(rt.path, rest); ok {
			return rt.h, id
		}
	}
	return nil, ""
}

// matchPath matches Hono-style: exact segments, and an {id} of at least
// one character that holds no slash.
func matchPath(pattern, path string) (string, bool) {
	before, after, hasID := strings.Cut(pattern, "{id}")
	if !hasID {
		return "", path == pattern
	}
	mid, ok := strings.CutPrefix(path, before)
	if !ok {
		return "", false
	}
	id, ok := strings.CutSuffix(mid, after)
	if !ok || id == "" || strings.Contains(id, "/") {
		return "", false
	}
	return id, true
}

func setCORS(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
}
