package aistatstest

import (
	"slices"
	"strings"
)

// controlCapabilities are the 2026-07 capability scopes, in the server's
// canonical order (CONTROL_CAPABILITIES at the contract's HEAD: 30 of them;
// later servers add budgets:*). Stored lists keep this order when they come
// from a template.
var controlCapabilities = []string{
	"me:read", "models:read", "providers:read", "pricing:read", "credits:read", "activity:read",
	"analytics:read", "generations:read", "feedback:read", "feedback:write",
	"workspaces:read", "workspaces:write", "workspaces:delete",
	"keys:read", "keys:write", "keys:delete",
	"presets:read", "presets:write", "presets:delete",
	"settings:read", "settings:write",
	"guardrails:read", "guardrails:write", "guardrails:delete",
	"management_keys:read", "management_keys:write", "management_keys:delete",
	"oauth_clients:read", "oauth_clients:write", "oauth_clients:delete",
}

// identityScopes are supported scopes that are not capabilities; a
// management key may not hold them.
var identityScopes = []string{"openid", "profile", "email", "gateway:access"}

// Capabilities the routes check.
const (
	capManagementKeysRead   = "management_keys:read"
	capManagementKeysWrite  = "management_keys:write"
	capManagementKeysDelete = "management_keys:delete"
	capKeysRead             = "keys:read"
	capKeysWrite            = "keys:write"
	capKeysDelete           = "keys:delete"
)

// managementKeyTemplates expand to these lists at create or patch time.
// The server looks templates up with the JavaScript `in` operator, so
// "toString" and friends pass there and expand to every capability; the
// fake rejects them like any unknown name, which the contract allows.
var managementKeyTemplates = map[string][]string{
	"read-only":    capabilitiesWith(":read"),
	"read-write":   capabilitiesWith(":read", ":write"),
	"full-control": controlCapabilities,
}

func capabilitiesWith(suffixes ...string) []string {
	var out []string
	for _, c := range controlCapabilities {
		for _, suf := range suffixes {
			if strings.HasSuffix(c, suf) {
				out = append(out, c)
			}
		}
	}
	return out
}

// normalizeScopeInput is the server's check of requested management-key
// scopes: a string is split on commas and white space, an array's elements
// are String(x ?? "") trimmed; empty and repeated entries are dropped in
// order. It returns the list, or the 400 message.
func normalizeScopeInput(v any) ([]string, string) {
	var raw []string
	switch v := v.(type) {
	case string:
		raw = splitScopes(v)
	case []any:
		for _, e := range v {
			if e == nil {
				raw = append(raw, "")
				continue
			}
			raw = append(raw, jsTrim(jsString(e)))
		}
	default:
		return nil, "scopes must be a string or string[]"
	}
	out := []string{}
	for _, scope := range raw {
		if scope == "" || slices.Contains(out, scope) {
			continue
		}
		control := slices.Contains(controlCapabilities, scope)
		if !control && !slices.Contains(identityScopes, scope) {
			return nil, "Unsupported scope: " + scope
		}
		if !control {
			return nil, "Identity scope is not allowed here: " + scope
		}
		out = append(out, scope)
	}
	if len(out) == 0 {
		return nil, "At least one management scope is required"
	}
	return out, ""
}

// splitScopes is text.split(/[,\s]+/) without the empty pieces.
func splitScopes(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return r == ',' || isJSSpace(r) })
}

// parseStoredScopeList reads the scopes column the way the 2026-07 server
// does: a JSON array (each element String()ed and trimmed), else a list
// separated by commas and white space. Empty entries are dropped.
func parseStoredScopeList(text string) []string {
	text = jsTrim(text)
	if text == "" {
		return nil
	}
	if v, err := parseJSONBody([]byte(text)); err == nil {
		if list, ok := v.([]any); ok {
			var out []string
			for _, e := range list {
				if s := jsTrim(jsString(e)); s != "" {
					out = append(out, s)
				}
			}
			return out
		}
	}
	return splitScopes(text)
}

// serializeScopeList is the column text the server writes: JSON.stringify
// of the list.
func serializeScopeList(scopes []string) string { return jsStringifyList(scopes) }

// missingScopes lists the requested scopes the holder lacks, in requested
// order.
func missingScopes(held, requested []string) []string {
	var out []string
	for _, s := range requested {
		if !slices.Contains(held, s) {
			out = append(out, s)
		}
	}
	return out
}
