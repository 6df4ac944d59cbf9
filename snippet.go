package aistats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// publicFields are the fields of a key whose values may appear in a
// DecodeError snippet of an answer that carries a new secret.
var publicFields = map[string]bool{
	"ok": true, "id": true, "hash": true, "name": true, "label": true, "prefix": true, "status": true,
	"scopes": true, "workspace_id": true, "team_id": true, "created_by": true, "creator_user_id": true,
	"created_at": true, "updated_at": true, "last_used_at": true, "expires_at": true,
	"previous_key_expires_at": true, "limit_reset": true, "error": true, "message": true,
}

// publicShape renders a create or rotate answer for a DecodeError snippet:
// its JSON structure, with numbers, booleans, nulls and the strings of
// public fields; every other string becomes "…". So the plaintext cannot
// appear in any spelling (escaped, unknown prefix, under another name).
// A body that is not JSON shows only its size; a truncated one, the
// structure up to the break. Keys and public values are shown only when
// scrub's serverText leaves them as they are (no credential, among them
// the new secret scrub was given, and one printable line).
func publicShape(body []byte, max int, scrub *scrubber) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	type frame struct {
		obj   bool
		n     int    // tokens written at this level (keys and values)
		field string // the object key this container, or the last value, belongs to
	}
	var (
		out   bytes.Buffer
		stack []frame
	)
	safe := func(s string, limit int) bool {
		return len(s) <= limit && scrub.serverText(s, lineText, 0) == s
	}
	for out.Len() < max {
		tok, err := dec.Token()
		if err != nil {
			if out.Len() == 0 {
				return []byte(fmt.Sprintf("(%d bytes, not JSON)", len(body)))
			}
			if err != io.EOF {
				out.WriteString("…")
			}
			return out.Bytes()
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			out.WriteByte(byte(d))
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				stack[len(stack)-1].n++
			}
			continue
		}
		isKey := top != nil && top.obj && top.n%2 == 0
		if top != nil {
			switch {
			case top.obj && !isKey:
				out.WriteByte(':')
			case top.n > 0:
				out.WriteByte(',')
			}
		}
		field := ""
		if top != nil {
			field = top.field
		}
		switch v := tok.(type) {
		case json.Delim:
			out.WriteByte(byte(v))
			stack = append(stack, frame{obj: v == '{', field: field})
			continue
		case string:
			switch {
			case isKey && safe(v, 40):
				top.field = v
				fmt.Fprintf(&out, "%q", v)
			case isKey:
				top.field = ""
				out.WriteString(`"…"`)
			case publicFields[field] && safe(v, 100):
				fmt.Fprintf(&out, "%q", v)
			default:
				out.WriteString(`"…"`)
			}
		default:
			if s := jsonScalar(v); safe(s, 100) {
				out.WriteString(s)
			} else { // a number can spell a numeric key
				out.WriteString(`"…"`)
			}
		}
		if top != nil {
			top.n++
		}
	}
	out.WriteString("…")
	return out.Bytes()
}

func jsonScalar(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		if v {
			return "true"
		}
		return "false"
	case json.Number:
		return v.String()
	}
	return "?"
}
