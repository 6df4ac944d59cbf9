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
		var list []string
		if err := json.Unmarshal(b, &list); err != nil {
			return fmt.Errorf("aistats: scopes: %w", err)
		}
		*s = cleanScopes(list)
		return nil
	case '"':
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return fmt.Errorf("aistats: scopes: %w", err)
		}
		parsed, err := ParseScopes(str)
		if err != nil {
			return err
		}
		*s = parsed
		return nil
	}
	return fmt.Errorf("aistats: scopes: want an array or a string, got %.40s", b)
}

// ParseScopes reads the server's stored form of scopes: "" (none), a JSON
// array ("[\"read\",\"write\"]"), or a list separated by commas and/or
// white space ("read,write", "read write").
func ParseScopes(str string) (Scopes, error) {
	str = strings.TrimSpace(str)
	if str == "" {
		return nil, nil
	}
	if str[0] == '[' {
		var list []string
		if err := json.Unmarshal([]byte(str), &list); err != nil {
			return nil, fmt.Errorf("aistats: scopes: string %.40q looks like a JSON array but is not one: %w", str, err)
		}
		return cleanScopes(list), nil
	}
	return cleanScopes(strings.FieldsFunc(str, isScopeSep)), nil
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

// String joins the scopes with commas.
func (s Scopes) String() string { return strings.Join(s, ",") }
