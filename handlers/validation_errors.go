package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/checkout-connect/go-connector/internal/apierror"
)

// validationError turns what kin-openapi reports about a request into the client's error:
// 413 for an oversized body, otherwise a 400 with one problem per offending value, each
// naming the value's path.
func validationError(err error, limit int64) *apierror.Error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return payloadTooLarge(limit).WithCause(err)
	}
	var problems []apierror.Problem
	for _, e := range flatten(err) {
		problems = append(problems, requestProblems(e)...)
	}
	problems = dedupe(problems)
	if len(problems) == 0 {
		problems = []apierror.Problem{apierror.InvalidJSONProblem("")}
	}
	if len(problems) > maxProblems {
		problems = problems[:maxProblems]
	}
	// The validator's own report holds the request's values and the schema: it is neither
	// sent nor logged.
	return apierror.Join(http.StatusBadRequest, problems...)
}

// maxProblems bounds how many problems one refusal lists.
const maxProblems = 20

// flatten lists the request and schema errors inside err, looking through kin-openapi's
// MultiError lists and the wrappers around them.
func flatten(err error) []error {
	for err != nil {
		switch e := err.(type) {
		case openapi3.MultiError:
			var out []error
			for _, inner := range e {
				out = append(out, flatten(inner)...)
			}
			return out
		case *openapi3.SchemaError, *openapi3filter.RequestError:
			return []error{err}
		}
		next := errors.Unwrap(err)
		if next == nil {
			return []error{err}
		}
		err = next
	}
	return nil
}

// requestProblems describes one RequestError.
func requestProblems(err error) []apierror.Problem {
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		return []apierror.Problem{apierror.InvalidJSONProblem("")}
	}
	if p := re.Parameter; p != nil {
		if errors.Is(re.Err, openapi3filter.ErrInvalidRequired) || errors.Is(re.Err, openapi3filter.ErrInvalidEmptyValue) {
			return []apierror.Problem{apierror.RequiredFieldProblem(p.Name)}
		}
		if problems := schemaProblems(p.Name, re.Err); len(problems) > 0 {
			return problems
		}
		return []apierror.Problem{apierror.InvalidFieldProblem(p.Name, nil, nil)}
	}
	switch {
	case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
		return []apierror.Problem{apierror.InvalidJSONProblem("The request body is empty.")}
	case re.Err == nil && strings.HasPrefix(re.Reason, "header Content-Type has unexpected value"):
		return []apierror.Problem{apierror.InvalidJSONProblem("The Content-Type header must be application/json.")}
	}
	var parseErr *openapi3filter.ParseError
	if errors.As(re.Err, &parseErr) {
		if errors.Is(parseErr, errTooDeep) {
			return []apierror.Problem{apierror.InvalidJSONProblem(fmt.Sprintf("The request body nests deeper than %d levels.", maxJSONDepth))}
		}
		return []apierror.Problem{apierror.InvalidJSONProblem("The request body is not well-formed JSON.")}
	}
	return schemaProblems("", re.Err)
}

// schemaProblems describes the schema violations inside err. prefix names the parameter
// for parameter errors and is empty for the body.
func schemaProblems(prefix string, err error) []apierror.Problem {
	var out []apierror.Problem
	for _, e := range flatten(err) {
		var se *openapi3.SchemaError
		if !errors.As(e, &se) {
			continue
		}
		out = append(out, schemaErrorProblems(prefix, se)...)
	}
	return out
}

func schemaErrorProblems(prefix string, se *openapi3.SchemaError) []apierror.Problem {
	pointer := se.JSONPointer()
	switch se.SchemaField {
	case "oneOf", "anyOf", "allOf":
		// With a discriminator only the selected branch was checked: report its problems.
		if nested := schemaProblems(prefix, se.Origin); len(nested) > 0 && se.Schema.Discriminator != nil {
			return nested
		}
	case "required":
		return []apierror.Problem{apierror.RequiredFieldProblem(fieldPath(prefix, pointer))}
	case "discriminator":
		d := se.Schema.Discriminator
		field := fieldPath(prefix, append(pointer, d.PropertyName))
		if se.Value == nil {
			return []apierror.Problem{apierror.RequiredFieldProblem(field)}
		}
		allowed := make([]string, 0, len(d.Mapping))
		for value := range d.Mapping {
			allowed = append(allowed, value)
		}
		slices.Sort(allowed)
		return []apierror.Problem{withDetail(apierror.InvalidFieldProblem(field, clip(se.Value), allowed), se.Reason)}
	}
	if len(pointer) == 0 && prefix == "" {
		return []apierror.Problem{apierror.InvalidJSONProblem("The request body must be a JSON object.")}
	}
	var allowed any
	if len(se.Schema.Enum) > 0 {
		allowed = se.Schema.Enum
	}
	return []apierror.Problem{withDetail(apierror.InvalidFieldProblem(fieldPath(prefix, pointer), clip(se.Value), allowed), se.Reason)}
}

// fieldPath renders a JSON pointer as a property path: actions/0/amount becomes
// actions[0].amount.
func fieldPath(prefix string, pointer []string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, segment := range pointer {
		if _, err := strconv.Atoi(segment); err == nil {
			b.WriteString("[" + segment + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(segment)
	}
	return b.String()
}

// withDetail adds the validator's reason, which never contains the value itself.
func withDetail(p apierror.Problem, reason string) apierror.Problem {
	if reason != "" {
		p.Extra = map[string]any{"detailedErrorMessage": reason}
	}
	return p
}

// maxEchoed bounds how much of a rejected string value is sent back.
const maxEchoed = 256

// clip shortens long rejected strings and leaves out objects and arrays, which could be
// large, so an error body stays small whatever the request held.
func clip(v any) any {
	switch x := v.(type) {
	case string:
		if r := []rune(x); len(r) > maxEchoed {
			return string(r[:maxEchoed]) + "..."
		}
		return x
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		if f, err := x.Float64(); err == nil {
			return f
		}
		return nil
	case map[string]any, []any:
		return nil
	default:
		return v
	}
}

// dedupe drops repeated problems (same code and field), keeping the first.
func dedupe(problems []apierror.Problem) []apierror.Problem {
	seen := make(map[[2]string]bool, len(problems))
	out := problems[:0]
	for _, p := range problems {
		key := [2]string{p.Code, p.Field}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, p)
	}
	return out
}
