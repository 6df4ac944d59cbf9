package aistatstest

import (
	"encoding/json"
	"net/http"

	"github.com/ai-stats/aistats-go"
)

// Replies shared by several handlers.
var (
	replyKeyNotFound = reply{status: http.StatusNotFound, body: errorBodyOf("", "Key not found")}
	replyIDRequired  = reply{status: http.StatusBadRequest, body: errorBodyOf("", "key ID is required")}
	replyTeamFailed  = reply{status: http.StatusForbidden, noStore: true,
		body: errorBodyOf("forbidden", "team_id must match authenticated team")}
)

func failed(message string) reply {
	return reply{status: http.StatusInternalServerError, noStore: true,
		body: errorBodyOf("failed", message)}
}

func validationError(message string) reply {
	return reply{status: http.StatusBadRequest, noStore: true,
		body: errorBodyOf("validation_error", message)}
}

func (s *Server) listKeys(c *call) reply {
	q := c.r.URL.Query()
	if rep, ok := s.checkTeam(q.Get("team_id")); !ok {
		return rep
	}
	limit, offset := parseLimit(q.Get("limit"), defaultPageSize), parseOffset(q.Get("offset"))

	s.mu.Lock()
	rows := s.sortedLocked(s.TeamID)
	items := []listItem{}
	for _, k := range pageOf(rows, c.listFrom(offset), limit) {
		items = append(items, listItemOf(k.publicKey(s.version), k.scopes))
	}
	s.mu.Unlock()

	total := len(rows)
	if c.mods.zeroTotal {
		total = 0
	}
	return reply{status: http.StatusOK, noStore: true, body: keyListBody(items, limit, offset, total)}
}

func (s *Server) createKey(c *call) reply {
	v, err := parseJSONBody(c.raw)
	if err != nil {
		return reply{status: http.StatusBadRequest, noStore: true,
			body: errorBodyOf("invalid_json", "Invalid JSON body")}
	}
	if v == nil {
		// body.name on null throws a TypeError nobody catches: Hono's bare 500.
		return textReply(http.StatusInternalServerError, textServerError)
	}
	body, _ := v.(map[string]any) // other non-objects have no fields at all

	name, _ := body["name"].(string)
	if name = jsTrim(name); name == "" {
		return validationError("name is required")
	}
	if jsLength(name) > aistats.MaxNameLength {
		return validationError("name must be 100 characters or fewer")
	}
	status := string(aistats.KeyStatusActive)
	if st, ok := body["status"].(string); ok { // a non-string status is quietly "active"
		status = st
	}
	if !aistats.KeyStatus(status).Valid() {
		return validationError("status must be active, disabled, or revoked")
	}
	scopes, ok := normalizeScopes(body["scopes"])
	if !ok {
		return validationError("scopes must be a string or string array")
	}
	team, isString := body["team_id"].(string)
	if !isString {
		team = c.r.URL.Query().Get("team_id")
	}
	if rep, ok := s.checkTeam(team); !ok {
		return rep
	}
	softBlocked := false
	if sb, present := body["soft_blocked"]; present {
		softBlocked = jsTruthy(sb)
	}

	kid, secret := newKeyMaterial()
	s.mu.Lock()
	k := &storedKey{
		id: newUUID(), teamID: s.TeamID, name: name, prefix: kid[:prefixLength], kid: kid,
		status: status, scopes: scopes, createdBy: s.OwnerID, createdAt: s.nowLocked(),
		softBlocked: softBlocked,
	}
	s.insertLocked(k)
	s.mu.Unlock()

	return reply{status: http.StatusCreated, noStore: true, body: createdKeyBody(k.publicKey(s.version), k.scopes, formatKey(kid, secret))}
}

func (s *Server) getKey(c *call) reply {
	return s.withKey(c, func(k *storedKey) reply {
		return reply{status: http.StatusOK, noStore: true, body: keyGetBody(k.publicKey(s.version), k.scopes)}
	})
}

// withKey runs fn on the key named by the path, under the lock, after the
// checks every {id} route makes: an id is present and is a stored UUID.
func (s *Server) withKey(c *call, fn func(*storedKey) reply) reply {
	if c.id == "keys" {
		return replyIDRequired
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k, rep, ok := s.findLocked(c.id)
	if !ok {
		return rep
	}
	return fn(k)
}

func (s *Server) updateKey(c *call) reply {
	if c.id == "keys" {
		return replyIDRequired // before the body is parsed, as on the server
	}
	v, err := parseJSONBody(c.raw)
	if err != nil {
		return reply{status: http.StatusBadRequest, body: errorBodyOf("", "invalid JSON")}
	}
	if v == nil {
		// `const { name, status, soft_blocked } = body` throws inside the
		// handler's try, so this one is caught and reported as "failed".
		return failed("Cannot destructure property 'name' of 'body' as it is null.")
	}
	body, _ := v.(map[string]any)
	return s.withKey(c, func(k *storedKey) reply { return applyUpdate(k, body) })
}

func applyUpdate(k *storedKey, body map[string]any) reply {
	name, setName := body["name"]
	status, setStatus := body["status"]
	softBlocked, setSoftBlocked := body["soft_blocked"]
	if setStatus {
		// Unlike create, a non-string status is rejected here.
		if st, ok := status.(string); !ok || !aistats.KeyStatus(st).Valid() {
			return reply{status: http.StatusBadRequest, body: errorBodyOf("", "Invalid status")}
		}
	}
	if setName && name == nil {
		return failed(`null value in column "name" of relation "management_keys" violates not-null constraint`)
	}
	if setName {
		k.name = columnText(name)
	}
	if setStatus {
		k.status = status.(string)
	}
	if setSoftBlocked {
		k.softBlocked = jsTruthy(softBlocked)
	}
	return reply{status: http.StatusOK, noStore: true, body: messageBody{OK: true, Message: "Key updated successfully"}}
}

func (s *Server) deleteKey(c *call) reply {
	return s.withKey(c, func(k *storedKey) reply {
		delete(s.keys, k.id)
		return reply{status: http.StatusOK, noStore: true,
			body: messageBody{OK: true, Message: `Key "` + k.name + `" deleted successfully`}}
	})
}

// findLocked looks a key up the way the database does: the id must parse
// as a UUID (else Postgres fails the whole query) and belong to the team.
func (s *Server) findLocked(id string) (*storedKey, reply, bool) {
	canonical, ok := canonicalUUID(id)
	if !ok {
		return nil, failed(`invalid input syntax for type uuid: "` + id + `"`), false
	}
	k := s.keys[canonical]
	if k == nil || k.teamID != s.TeamID {
		return nil, replyKeyNotFound, false
	}
	return k, reply{}, true
}

// checkTeam allows an absent or blank team id, or the server's own.
func (s *Server) checkTeam(requested string) (reply, bool) {
	if r := jsTrim(requested); r != "" && r != s.TeamID {
		return replyTeamFailed, false
	}
	return reply{}, true
}

// normalizeScopes stores scopes like the server: strings verbatim (trimmed,
// blank means "[]"), arrays as the JSON text of String() of each element.
func normalizeScopes(v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "[]", true
	case string:
		return or(jsTrim(v), "[]"), true
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = jsString(e)
		}
		return jsStringifyList(parts), true
	}
	return "", false
}

// columnText is what PostgREST writes to a text column for a JSON value:
// a string as is, anything else as its JSON text.
func columnText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}
