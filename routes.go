package aistats

import (
	"net/url"
	"strings"
)

// route is one endpoint. Its path template, relative to the base URL, is
// the one source of both a request's path (the template with its id
// filled in) and CallInfo.URLTemplate (the template as it is).
type route uint8

const (
	routeKeys         route = iota // management keys: list, create
	routeKey                       // one management key
	routeAPIKeys                   // API keys: list, create
	routeAPIKey                    // one API key
	routeAPIKeyRotate              // rotate an API key
	numRoutes
)

// API-key paths are the same wherever they exist (2026-07 only).
const (
	apiKeysPath       = "/keys"
	apiKeyRoute       = apiKeysPath + "/" + idParam
	apiKeyRotateRoute = apiKeyRoute + "/rotate"
	idParam           = "{id}"
)

// template is r's path template on d, relative to the base URL.
func (r route) template(d dialect) string {
	switch r {
	case routeKeys:
		return d.keysPath()
	case routeKey:
		return d.keyPath()
	case routeAPIKeys:
		return apiKeysPath
	case routeAPIKey:
		return apiKeyRoute
	case routeAPIKeyRotate:
		return apiKeyRotateRoute
	}
	return ""
}

// urlTemplates are a client's URL templates, base path included, indexed
// by route: chosen once by NewClient, so that a call only copies a string
// header.
type urlTemplates [numRoutes]string

// The tables for "/v1", the base path of the hosted API and of the fake,
// are built once: NewClient then allocates nothing for them.
var julyV1Templates, marchV1Templates = buildURLTemplates("/v1", july2026{}), buildURLTemplates("/v1", march2026{})

func newURLTemplates(basePath string, d dialect) urlTemplates {
	if basePath == "/v1" {
		switch d.(type) {
		case july2026:
			return julyV1Templates
		case march2026:
			return marchV1Templates
		}
	}
	return buildURLTemplates(basePath, d)
}

// buildURLTemplates joins basePath to every route's template, in one
// allocation.
func buildURLTemplates(basePath string, d dialect) (t urlTemplates) {
	var ends [numRoutes]int
	n := 0
	for r := range numRoutes {
		n += len(basePath) + len(r.template(d))
	}
	var b strings.Builder
	b.Grow(n)
	for r := range numRoutes {
		b.WriteString(basePath)
		b.WriteString(r.template(d))
		ends[r] = b.Len()
	}
	s, start := b.String(), 0
	for r := range numRoutes {
		t[r], start = s[start:ends[r]], ends[r]
	}
	return t
}

// pathOf fills the id into r's template: the relative path to request.
// id has been validated by the caller.
func (r route) pathOf(d dialect, id string) string {
	tmpl := r.template(d)
	i := strings.Index(tmpl, idParam)
	if i < 0 {
		return tmpl
	}
	return tmpl[:i] + url.PathEscape(id) + tmpl[i+len(idParam):]
}
