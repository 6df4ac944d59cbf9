package aistatstest

import (
	"net/http"
	"strings"
)

const (
	apiPrefix = "/v1"
	keysPath  = "/management/keys"
)

// routeMods are the list-only faults; everything else routes normally.
type routeMods struct{ ignoreOffset, zeroTotal bool }

// call is one routed request.
type call struct {
	r    *http.Request
	raw  []byte // the body, already read
	id   string // the {id} path segment, still percent-encoded like the server sees it
	mods routeMods
}

type handler func(s *Server, c *call) reply

// route mirrors the Hono app: CORS preflight first, then exact routes with
// no trailing-slash or method fallbacks (anything else is Hono's text 404),
// then the auth guard inside each handler before any validation.
func (s *Server) route(w http.ResponseWriter, r *http.Request, raw []byte, mods routeMods) {
	if r.Method == http.MethodOptions {
		setCORS(w.Header())
		w.WriteHeader(http.StatusNoContent)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), apiPrefix)
	if !ok || rest != "" && rest[0] != '/' {
		textReply(http.StatusNotFound, textNotFound).write(w)
		return
	}
	setCORS(w.Header())
	h, id := match(r.Method, rest)
	if h == nil {
		textReply(http.StatusNotFound, textNotFound).write(w)
		return
	}
	if rep, ok := s.authorize(r); !ok {
		rep.write(w)
		return
	}
	h(s, &call{r: r, raw: raw, id: id, mods: mods}).write(w)
}

// match finds the handler for a path relative to /v1.
func match(method, rest string) (handler, string) {
	if method == http.MethodHead {
		method = http.MethodGet // Hono answers HEAD with the GET handler, minus the body
	}
	if rest == keysPath {
		switch method {
		case http.MethodGet:
			return (*Server).listKeys, ""
		case http.MethodPost:
			return (*Server).createKey, ""
		}
		return nil, ""
	}
	id, ok := strings.CutPrefix(rest, keysPath+"/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return nil, ""
	}
	switch method {
	case http.MethodGet:
		return (*Server).getKey, id
	case http.MethodPatch:
		return (*Server).updateKey, id
	case http.MethodDelete:
		return (*Server).deleteKey, id
	}
	return nil, ""
}

func setCORS(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
}
