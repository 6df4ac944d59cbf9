package aistats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Scopes is a key's list of scopes. The server stores scopes as an opaque
// string and echoes it verbatim, so on the wire it may be a JSON array, a
// JSON array encoded inside a string, or a comma/space separated list.
// Scopes decodes all of them and always encodes as a JSON array.
type Scopes []string

// MarshalJSON encodes a JSON array; nil encodes as [] so the server stores "[]".
func (s Scopes) MarshalJSON() ([]byte, error) {
	if s == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]string(s))
}

// UnmarshalJSON accepts null, an array of strings, or a string holding
// either a JSON array or a comma/space separated list.
func (s *Scopes) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return fmt.Errorf("aistats: scopes: empty value")
	}
	switch b[0] {
	case 'n':
		if string(b) != "null" {
			return fmt.Errorf("aistats: scopes: invalid value %.40q", b)
		}
		*s = nil
		return nil
	case '[':
		if list, ok := flatStringArray(b, `"`); ok {
			*s = list
			return nil
		}
		var list []string
		if err := json.Unmarshal(b, &list); err != nil {
			return fmt.Errorf("aistats: scopes: %w", err)
		}
		*s = cleanScopes(list)
		return nil
	case '"':
		if list, ok := quotedScopes(b); ok {
			*s = list
			return nil
		}
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return fmt.Errorf("aistats: scopes: %w", err)
		}
		*s = ParseScopes(str)
		return nil
	}
	return fmt.Errorf("aistats: scopes: want an array or a string, got %.40s", b)
}

// ParseScopes reads the server's stored form of scopes: "" (none), a JSON
// array ("[\"read\",\"write\"]"), or a list separated by commas and/or
// white space ("read,write", "read write"). It never fails: the server
// stores scope strings verbatim, so anything else is split leniently
// ("[read, write]" gives read and write) rather than making a key, and the
// page it is on, unreadable.
func ParseScopes(str string) Scopes {
	str = strings.TrimSpace(str)
	if str == "" {
		return nil
	}
	if str[0] == '[' {
		var list []string
		if err := json.Unmarshal([]byte(str), &list); err == nil {
			return cleanScopes(list)
		}
		return cleanScopes(strings.FieldsFunc(str, func(r rune) bool { return isScopeSep(r) || r == '[' || r == ']' || r == '"' }))
	}
	return cleanScopes(strings.FieldsFunc(str, isScopeSep))
}

// quotedScopes decodes the common forms of a scopes string, a JSON token
// such as "[\"read\",\"write\"]" or "read,write", straight from the token
// bytes. It reports false, leaving the general path to decide, for
// anything else: other escapes, non-ASCII, unusual white space.
func quotedScopes(tok []byte) (Scopes, bool) {
	if len(tok) < 2 || tok[len(tok)-1] != '"' {
		return nil, false
	}
	in := tok[1 : len(tok)-1]
	for _, c := range in {
		if c < ' ' || c > '~' {
			return nil, false
		}
	}
	trimmed := bytes.TrimSpace(in)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		return flatStringArray(trimmed, `\"`)
	}
	if bytes.ContainsAny(in, `\"`) {
		return nil, false
	}
	if len(trimmed) == 0 {
		return nil, true
	}
	out := make(Scopes, 0, bytes.Count(in, []byte(","))+bytes.Count(in, []byte(" "))+1)
	for len(in) > 0 {
		i := bytes.IndexAny(in, ", ")
		if i < 0 {
			i = len(in)
		}
		if i > 0 {
			out = append(out, scopeString(in[:i]))
		}
		in = in[min(i+1, len(in)):]
	}
	if len(out) == 0 {
		return nil, true // only separators
	}
	return out, true
}

// flatStringArray decodes a JSON array of plain strings whose elements
// are delimited by quote (`"`, or `\"` inside a JSON string), with
// printable ASCII and no escapes inside. Entries are trimmed and empty ones
// dropped, as cleanScopes does.
func flatStringArray(b []byte, quote string) (Scopes, bool) {
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[0] != '[' || b[len(b)-1] != ']' {
		return nil, false
	}
	in := bytes.TrimSpace(b[1 : len(b)-1])
	if len(in) == 0 {
		return nil, true
	}
	out := make(Scopes, 0, bytes.Count(in, []byte(","))+1)
	for len(in) > 0 {
		rest, ok := bytes.CutPrefix(in, []byte(quote))
		if !ok {
			return nil, false
		}
		end := bytes.IndexByte(rest, quote[0])
		if end < 0 || !bytes.HasPrefix(rest[end:], []byte(quote)) {
			return nil, false
		}
		elem := rest[:end]
		for _, c := range elem {
			if c < ' ' || c > '~' || c == '\\' || c == '"' {
				return nil, false
			}
		}
		if elem = bytes.TrimSpace(elem); len(elem) > 0 {
			out = append(out, scopeString(elem))
		}
		in = bytes.TrimSpace(rest[end+len(quote):])
		if len(in) == 0 {
			break
		}
		if in[0] != ',' {
			return nil, false
		}
		if in = bytes.TrimSpace(in[1:]); len(in) == 0 {
			return nil, false // trailing comma
		}
	}
	if len(out) == 0 {
		return nil, true // only empty entries
	}
	return out, true
}

// commonScopes holds the scope names the API uses, so decoding a page
// shares one string per name instead of allocating a copy per key (as
// net/http does for common header keys).
var commonScopes = func() map[string]string {
	m := map[string]string{}
	for _, s := range []string{"read", "write", "delete", "admin",
		"keys:read", "keys:write", "keys:delete",
		"management_keys:read", "management_keys:write", "management_keys:delete"} {
		m[s] = s
	}
	return m
}()

// scopeString returns b as a string, shared when it is a common scope.
func scopeString(b []byte) string {
	if s, ok := commonScopes[string(b)]; ok { // no allocation for the lookup
		return s
	}
	return string(b)
}

func isScopeSep(r rune) bool {
	return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
}

// cleanScopes trims entries and drops empty ones, in place.
func cleanScopes(list []string) Scopes {
	out := list[:0]
	for _, v := range list {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return Scopes(out)
}

// String joins the scopes with commas, as one printable line with any
// credential masked (scopes are server text).
func (s Scopes) String() string {
	return (*scrubber)(nil).serverText(strings.Join(s, ","), lineText, 0)
}
