package aistats

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/ai-stats/aistats-go/internal/ids"
	"github.com/ai-stats/aistats-go/internal/jstext"
)

// dialect is what one API version changes: paths, what each call accepts,
// the request bodies and the answer envelopes. The services are written
// against it, so everything 2026-07 changes is in dialect_2026_07.go and
// everything 2026-03 keeps is in dialect_2026_03.go.
type dialect interface {
	version() APIVersion
	keysPath() string
	// defaultPageSize is the page the server sends for limit 0.
	defaultPageSize() int
	checkListKeys(o *ListKeysOptions) error
	// createKeyBody validates params and returns the JSON body to send.
	createKeyBody(p *CreateKeyParams) (any, error)
	updateKeyBody(p *UpdateKeyParams) (any, error)
	decodeKeyPage(b []byte, page *KeyPage) error
	decodeKey(b []byte) (*Key, error)
	// decodeCreatedKey may return a key together with a *partialError:
	// the plaintext was read, another field was not.
	decodeCreatedKey(b []byte) (*CreatedKey, error)
	// decodeUpdatedKey returns nil, nil when the answer carries no key
	// (2026-03), so Update reads it back.
	decodeUpdatedKey(b []byte) (*Key, error)
	// apiKeys reports whether /v1/keys exists: nil, or an error matching
	// errors.ErrUnsupported.
	apiKeys(method string) error
	// endpointHint explains a non-JSON 404: the route does not exist here.
	endpointHint() string
}

// partialError is a create or rotate answer whose plaintext was read but
// some other part was not: the key exists and its secret is delivered, so
// the call returns both the result and a *DecodeError with KeyCreated set.
type partialError struct{ err error }

func (e *partialError) Error() string { return e.err.Error() }
func (e *partialError) Unwrap() error { return e.err }

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

// convertAll turns decoded wire items into public values sharing one
// backing array (one allocation per page, not per key).
func convertAll[W any, T any](ws []W, conv func(*W, *T) error) ([]*T, error) {
	vals := make([]T, len(ws))
	out := make([]*T, len(ws))
	for i := range ws {
		if err := conv(&ws[i], &vals[i]); err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		out[i] = &vals[i]
	}
	return out, nil
}

// dataObject and dataList are the 2026-07 envelopes: {"data": {…}} and
// {"data": […], "total_count": N}.
type dataObject[W any] struct {
	Data *W `json:"data"`
}

type dataList[W any] struct {
	Data       []W  `json:"data"`
	TotalCount *int `json:"total_count"`
}

var (
	errNoDataObject = errors.New(`no "data" object in the response`)
	errNoDataArray  = errors.New(`no "data" array in the response`)
)

func decodeDataObject[W any](b []byte) (*W, error) {
	var env dataObject[W]
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, err
	}
	if env.Data == nil {
		return nil, errNoDataObject
	}
	return env.Data, nil
}

func decodeDataList[W any](b []byte) ([]W, int, error) {
	var env dataList[W]
	if err := json.Unmarshal(b, &env); err != nil {
		return nil, 0, err
	}
	if env.Data == nil { // [] decodes to an empty, non-nil slice
		return nil, 0, errNoDataArray
	}
	total := -1
	if env.TotalCount != nil {
		total = *env.TotalCount
	}
	return env.Data, total, nil
}

// managementKeyPath validates a management-key id and escapes it as one
// path segment. Ids are UUIDs in any spelling Postgres reads; anything else
// the server answers with a 500 that a retry cannot fix.
func managementKeyPath(base, id string) (string, error) {
	if !ids.IsUUID(id) {
		return "", badID(id, "is not a UUID (management key ids look like 9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40)")
	}
	return base + "/" + url.PathEscape(id), nil
}

func badID(id, problem string) error {
	if id == "" {
		return &ValidationError{Field: "id", Problem: "is empty"}
	}
	return &ValidationError{Field: "id", Problem: fmt.Sprintf("%q %s", truncateRunes(id, 80), problem)}
}

// requireName is the servers' name rule: non-empty once trimmed the way
// JavaScript trims (which also removes U+FEFF).
func requireName(field, name, emptyProblem string) error {
	if jstext.Trim(name) == "" {
		return &ValidationError{Field: field, Problem: emptyProblem}
	}
	return nil
}

// unsupportedOn names a field the client's version does not have.
func unsupportedOn(v APIVersion, field, instead string) error {
	p := "is not supported by API version " + string(v)
	if instead != "" {
		p += "; " + instead
	}
	return &ValidationError{Field: field, Problem: p}
}

// timeOrNull is a nullable request timestamp: nil for the zero time.
func timeOrNull(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := wireTimeOut(t)
	return &s
}

var (
	errNilParams       = &ValidationError{Field: "params", Problem: "must not be nil"}
	errNothingToUpdate = &ValidationError{Field: "params", Problem: "set no field: give at least one field to change"}
)
