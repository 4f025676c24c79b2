package session

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// Strict decoding: the one place where a client's JSON becomes Go values,
// for websocket messages and HTTP bodies alike.
//
// encoding/json alone is too lenient for a protocol that other parsers sit
// in front of: it matches keys regardless of case ("TEXT" fills Text), lets
// the last of two equal keys win, and nests without limit. A proxy or a
// validator that reads "text" would then see another value than the one we
// store. So a message is first scanned once as tokens, which refuses
// malformed JSON, duplicate keys, deep nesting and trailing data and notes
// the keys of every object; those keys are then checked, exactly and case
// for case, against the names of the Go type the message decodes into; only
// then does encoding/json fill the value.

// MaxDepth is how deeply a client message may nest objects and arrays; no
// message needs more than 3.
const MaxDepth = 8

// shape is what the scan learnt of one JSON value: for an object, the keys
// in order and the shapes of their values; for an array, the shapes of its
// elements; for a string, its value (only the envelope's id and op are
// read, so only top-level strings are kept).
type shape struct {
	kind  byte // '{', '[', '"' or 0 for any other scalar
	keys  []string
	elems []*shape // values of keys, or elements of an array
	str   string
}

func badMessage(format string, args ...any) *Error {
	return errf(KindInvalid, CodeBadMessage, format, args...)
}

// scan tokenises msg, which must be exactly one JSON object.
func scan(msg []byte) (*shape, error) {
	dec := json.NewDecoder(bytes.NewReader(msg))
	dec.UseNumber()
	var stack []*shape
	var root *shape
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if root == nil || len(stack) > 0 {
				return nil, badMessage("malformed message: unexpected end of input")
			}
			return root, nil
		}
		if err != nil {
			return nil, badMessage("malformed message: %s", jsonProblem(err))
		}
		if root != nil && len(stack) == 0 {
			return nil, badMessage("malformed message: data after the JSON object")
		}
		var top *shape
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		// In an object, a string token where a key is due is the key.
		if top != nil && top.kind == '{' && len(top.keys) == len(top.elems) {
			key, ok := tok.(string)
			if !ok {
				if d, ok := tok.(json.Delim); ok && d == '}' {
					stack = stack[:len(stack)-1]
					continue
				}
				return nil, badMessage("malformed message")
			}
			for _, k := range top.keys {
				if k == key {
					return nil, badMessage("duplicate key %s", strconv.Quote(truncate(key, 30)))
				}
			}
			top.keys = append(top.keys, key)
			continue
		}
		var v *shape
		switch t := tok.(type) {
		case json.Delim:
			if t == '}' || t == ']' {
				stack = stack[:len(stack)-1]
				continue
			}
			if len(stack) >= MaxDepth {
				return nil, badMessage("message nested too deeply")
			}
			v = &shape{kind: byte(t)}
		case string:
			v = &shape{kind: '"'}
			if len(stack) == 1 {
				v.str = t
			}
		default:
			v = &shape{}
		}
		switch {
		case top != nil:
			top.elems = append(top.elems, v)
		case v.kind != '{':
			return nil, badMessage("malformed message: not a JSON object")
		default:
			root = v
		}
		if v.kind == '{' || v.kind == '[' {
			stack = append(stack, v)
		}
	}
}

// field returns the shape of the value of key, or nil.
func (s *shape) field(key string) *shape {
	for i, k := range s.keys {
		if k == key {
			return s.elems[i]
		}
	}
	return nil
}

// stringField returns the value of key if it is a string; a key that is
// there with another type is an error.
func (s *shape) stringField(key string) (string, error) {
	f := s.field(key)
	if f == nil {
		return "", nil
	}
	if f.kind != '"' {
		return "", badMessage("malformed message: field %q has the wrong type", key)
	}
	return f.str, nil
}

var (
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

// checkKeys compares the keys of every object in s with the field names
// of t, case for case. Type mismatches are left to encoding/json.
func checkKeys(s *shape, t reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawMessageType || reflect.PointerTo(t).Implements(unmarshalerType) {
		return nil
	}
	switch {
	case s.kind == '{' && t.Kind() == reflect.Struct:
		for i, key := range s.keys {
			ft, ok := fieldByExactName(t, key)
			if !ok {
				return badMessage("unknown field %s", strconv.Quote(truncate(key, 40)))
			}
			if err := checkKeys(s.elems[i], ft); err != nil {
				return err
			}
		}
	case s.kind == '{' && t.Kind() == reflect.Map:
		for _, e := range s.elems {
			if err := checkKeys(e, t.Elem()); err != nil {
				return err
			}
		}
	case s.kind == '[' && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
		for _, e := range s.elems {
			if err := checkKeys(e, t.Elem()); err != nil {
				return err
			}
		}
	}
	return nil
}

// fieldByExactName finds the field of struct type t that encoding/json
// would fill from key, and says whether key is exactly its name. Embedded
// structs without a name of their own are searched as encoding/json does.
func fieldByExactName(t reflect.Type, key string) (reflect.Type, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				if ft, ok := fieldByExactName(et, key); ok {
					return ft, true
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if name == key {
			return f.Type, true
		}
	}
	return nil, false
}

// Decode decodes msg, one JSON object, strictly into v: every key must be
// exactly the name of one of v's fields, no key twice, nothing nested more
// than MaxDepth deep, nothing after the object. Refusals are bad_message
// errors that never echo more than a short piece of the input.
func Decode(msg []byte, v any) error {
	s, err := scan(msg)
	if err != nil {
		return err
	}
	return fill(s, msg, v)
}

// DecodeEnvelope decodes a message whose type depends on its op: it reads
// the message's "id" and "op", asks pick for the value to fill, and fills
// it strictly as Decode does. It returns the id and op it read even when
// the message is refused, so that the refusal can be matched to the
// request.
func DecodeEnvelope(msg []byte, pick func(op string) (any, error)) (id, op string, err error) {
	s, err := scan(msg)
	if err != nil {
		return "", "", err
	}
	if id, err = s.stringField("id"); err != nil {
		return "", "", err
	}
	if op, err = s.stringField("op"); err != nil {
		return id, "", err
	}
	v, err := pick(op)
	if err != nil {
		return id, op, err
	}
	return id, op, fill(s, msg, v)
}

func fill(s *shape, msg []byte, v any) error {
	if err := checkKeys(s, reflect.TypeOf(v)); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(msg))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badMessage("malformed message: %s", jsonProblem(err))
	}
	return nil
}

// jsonProblem describes a decoding error without echoing the client's bytes back.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return fmt.Sprintf("field %q has the wrong type", truncate(te.Field, 40))
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected end of input"
	}
	msg := err.Error()
	if len(msg) > 120 {
		msg = msg[:120]
	}
	return msg
}
