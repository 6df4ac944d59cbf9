package aistats

import (
	"encoding/json"
	"errors"
	"fmt"
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
	// keyPath is one key's path template: keysPath plus "/{id}".
	keyPath() string
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
	total, err := totalOf("total_count", env.TotalCount)
	return env.Data, total, err
}

// managementKeyPath validates a management-key id and fills it, escaped as
// one path segment, into d's key path. Ids are UUIDs in any spelling
// Postgres reads; anything else the server answers with a 500 that a retry
// cannot fix.
func managementKeyPath(d dialect, id string) (string, error) {
	if !ids.IsUUID(id) {
		return "", badID(id, "is not a UUID (management key ids look like 9b2f6c1e-4a7d-4f0e-9c3b-2d8e1a5f7c40)")
	}
	return routeKey.pathOf(d, id), nil
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
