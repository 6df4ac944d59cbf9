package aistatstest

import (
	"net/http"
	"slices"
)

// 2026-07 resource paths, relative to /v1.
const (
	managementKeysPath = "/management-keys"
	apiKeysPath        = "/keys"
)

// july2026Routes are the 2026-07 routes the fake serves: management-key
// CRUD (M1-M5) and API-key CRUD (K1-K5). POST /keys/{id}/invalidate and
// GET /key (current gateway key) are not modelled and answer 404.
var july2026Routes = []routeSpec{
	{http.MethodGet, managementKeysPath, (*Server).listManagementKeys},
	{http.MethodPost, managementKeysPath, (*Server).createManagementKey},
	{http.MethodGet, managementKeysPath + "/{id}", (*Server).getManagementKey},
	{http.MethodPatch, managementKeysPath + "/{id}", (*Server).updateManagementKey},
	{http.MethodDelete, managementKeysPath + "/{id}", (*Server).deleteManagementKey},
	{http.MethodGet, apiKeysPath, (*Server).listAPIKeys},
	{http.MethodPost, apiKeysPath, (*Server).createAPIKey},
	{http.MethodGet, apiKeysPath + "/{id}", (*Server).getAPIKey},
	{http.MethodPatch, apiKeysPath + "/{id}", (*Server).updateAPIKey},
	{http.MethodDelete, apiKeysPath + "/{id}", (*Server).deleteAPIKey},
}

// rotateRoute is post-HEAD (contract §9.2); WithoutRotation leaves it out.
var rotateRoute = routeSpec{http.MethodPost, apiKeysPath + "/{id}/rotate", (*Server).rotateAPIKey}

// july2026 is the 2026-07 generation, with or without the rotate route.
func july2026(rotation bool) *dialect {
	routes := slices.Clone(july2026Routes)
	if rotation {
		routes = append(routes, rotateRoute)
	}
	return &dialect{routes: routes, cors: setCORSJuly2026, authorize: (*Server).authorizeManagement}
}

// setCORSJuly2026 adds the headers the 2026-07 app sends on every /v1
// answer.
func setCORSJuly2026(h http.Header) {
	setCORS(h)
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, traceparent, tracestate, x-title, "+
		"http-referer, x-app-id, x-app-name, x-phaseo-client, x-phaseo-client-version, x-gateway-debug, "+
		"x-phaseo-debug, X-Phaseo-Strictness, x-phaseo-cache-revalidate")
	h.Set("Access-Control-Max-Age", "86400")
}

// requireID runs the first checks of an {id} route: the capability, then
// the path id.
func (c *call) requireID(capability string, parseID func(*call) (string, reply, bool)) (string, reply, bool) {
	if rep, ok := c.require(capability); !ok {
		return "", rep, false
	}
	return parseID(c)
}

// withRow runs fn on the row an {id} route names, under the lock, after
// requireID and find (which answers the route's 404 or 500).
func withRow[T any](s *Server, c *call, capability string, parseID func(*call) (string, reply, bool),
	find func(id string) (T, reply, bool), fn func(T) reply) reply {
	id, rep, ok := c.requireID(capability, parseID)
	if !ok {
		return rep
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	row, rep, ok := find(id)
	if !ok {
		return rep
	}
	return fn(row)
}
