package aistats

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Reading a create or rotate answer: the plaintext comes from the field
// named exactly "key", and a field that fails to decode cannot lose the
// only copy of a secret.

// salvageMint reads the plaintext and id of a mint answer by their exact
// field names: "key" and "id" in the "data" object (2026-07, both kinds of
// key) or, failing that, in the "key" object (2026-03's {ok, key:{…}}).
// encoding/json matches names case-insensitively (a later "KEY": "" or
// "\u212aey": "" would overwrite the secret) and lets the last duplicate
// win; here a name is read only as spelled, and of duplicate "key" fields
// the last non-empty string wins: JSON.parse on the server's side reads
// the last one, and an empty or null duplicate never erases a delivered
// secret. It reads what it can of a body that is not valid JSON to the end.
func salvageMint(b []byte) (plaintext, id string) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", ""
	}
	var found [2]struct{ plaintext, id string } // in "data", in "key"
	for {
		name, ok := nextName(dec)
		if !ok {
			break
		}
		i := -1
		switch name {
		case "data":
			i = 0
		case "key":
			i = 1
		}
		if i < 0 {
			if skipValue(dec) != nil {
				break
			}
			continue
		}
		if t, err := dec.Token(); err != nil {
			break
		} else if t != json.Delim('{') {
			if skipRest(dec, t) != nil {
				break
			}
			continue
		}
		if readMintFields(dec, &found[i].plaintext, &found[i].id) != nil {
			break
		}
	}
	for _, f := range found {
		if f.plaintext != "" {
			return f.plaintext, f.id
		}
	}
	if plaintext, id = foldedMint(b); plaintext != "" {
		return plaintext, id
	}
	return "", firstNonEmpty(found[0].id, found[1].id, id)
}

// foldedMint reads the plaintext as encoding/json does, names matched
// case-insensitively: the last resort when no exact name carries one, so
// that an odd spelling still cannot lose the only copy of a secret.
func foldedMint(b []byte) (plaintext, id string) {
	var p struct {
		Key, Data *struct{ ID, Key string }
	}
	_ = json.Unmarshal(b, &p)
	for _, f := range [...]*struct{ ID, Key string }{p.Data, p.Key} {
		if f != nil && f.Key != "" {
			return f.Key, f.ID
		}
		if f != nil && id == "" {
			id = f.ID
		}
	}
	return "", id
}

// readMintFields reads an object's members up to its closing brace,
// keeping the last non-empty string of "key" and of "id".
func readMintFields(dec *json.Decoder, plaintext, id *string) error {
	for {
		name, ok := nextName(dec)
		if !ok {
			_, err := dec.Token() // the closing brace, or the error
			return err
		}
		t, err := dec.Token()
		if err != nil {
			return err
		}
		s, isString := t.(string)
		switch {
		case !isString:
			if err := skipRest(dec, t); err != nil {
				return err
			}
		case s == "":
		case name == "key":
			*plaintext = s
		case name == "id":
			*id = s
		}
	}
}

// nextName returns the next member name of the object being read.
func nextName(dec *json.Decoder) (string, bool) {
	if !dec.More() {
		return "", false
	}
	t, err := dec.Token()
	name, ok := t.(string)
	return name, err == nil && ok
}

// skipValue reads past the next value.
func skipValue(dec *json.Decoder) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	return skipRest(dec, t)
}

// skipRest reads past the rest of a value whose first token was t.
func skipRest(dec *json.Decoder, t json.Token) error {
	if d, ok := t.(json.Delim); !ok || (d != '{' && d != '[') {
		return nil
	}
	for depth := 1; depth > 0; {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

// mayFoldNames reports whether b may hold a name that encoding/json
// matches to "key" or "data" but that is spelled otherwise ("KEY", "Data",
// a \u escape, "\u212aey" with the Kelvin sign). It only scans bytes, so
// the usual mint answer costs no allocation to check.
func mayFoldNames(b []byte) bool {
	if bytes.Contains(b, []byte(`\u`)) || bytes.Contains(b, []byte("\u212a")) {
		return true
	}
	for _, name := range [...]string{"key", "data"} {
		for i := 0; i+len(name)+2 <= len(b); i++ {
			if b[i] == '"' && b[i+len(name)+1] == '"' {
				if w := b[i+1 : i+1+len(name)]; string(w) != name && bytes.EqualFold(w, []byte(name)) {
					return true
				}
			}
		}
	}
	return false
}

// errNoPlaintext: a 2xx create answer without the secret. The key exists
// but nobody can use it; the caller must find and delete it.
func errNoPlaintext(id string) error {
	return fmt.Errorf("key %q was created but the response carried no plaintext \"key\"", id)
}

// minted is a mint result: its secret is set from the exact field name.
type minted interface{ setSecret(Secret) }

// decodeMinted is the shared tail of every create and rotate decoder: it
// runs the full decode, takes the plaintext from salvageMint (the exact
// field name; encoding/json's case-insensitive match only when the exact
// name carries none) and, if the full decode fails on a complete JSON
// body that still carries the plaintext, hands back what it can with a
// partialError.
func decodeMinted[T any, P interface {
	*T
	minted
}](b []byte, full func() (P, string, error), salvage func(plaintext, id string) P) (P, error) {
	out, plaintext, err := full()
	if err == nil {
		if plaintext != "" && !mayFoldNames(b) {
			return out, nil // encoding/json read the exact name: nothing else matches it
		}
		exact, id := salvageMint(b)
		switch {
		case exact != "" && exact != plaintext:
			out.setSecret(NewSecret(exact))
		case exact == "" && plaintext == "":
			return nil, errNoPlaintext(id)
		}
		return out, nil
	}
	if !json.Valid(b) {
		return nil, err // truncated or not JSON: the outcome stays unknown
	}
	if p, id := salvageMint(b); p != "" {
		return salvage(p, id), &partialError{err}
	}
	return nil, err
}
