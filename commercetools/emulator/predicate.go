package emulator

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// predicate is a parsed commercetools query predicate, the where parameter of queries.
// The supported subset: comparisons (= != <> < <= > >=) of a field with a string, number
// or boolean; field in (values); field is [not] defined; field(predicate) for object
// fields and, matching any element, list fields; and, or, not(...) and parentheses.
type predicate interface {
	eval(doc map[string]any) bool
}

type andPredicate []predicate
type orPredicate []predicate
type notPredicate struct{ inner predicate }
type nestedPredicate struct {
	field string
	inner predicate
}
type comparePredicate struct {
	field, op string
	values    []any
}
type definedPredicate struct {
	field   string
	defined bool
}

func (p andPredicate) eval(doc map[string]any) bool {
	for _, q := range p {
		if !q.eval(doc) {
			return false
		}
	}
	return true
}

func (p orPredicate) eval(doc map[string]any) bool {
	for _, q := range p {
		if q.eval(doc) {
			return true
		}
	}
	return false
}

func (p notPredicate) eval(doc map[string]any) bool { return !p.inner.eval(doc) }

func (p definedPredicate) eval(doc map[string]any) bool {
	v, ok := doc[p.field]
	return (ok && v != nil) == p.defined
}

func (p nestedPredicate) eval(doc map[string]any) bool {
	switch v := doc[p.field].(type) {
	case map[string]any:
		return p.inner.eval(v)
	case []any:
		for _, item := range v {
			if m, ok := item.(map[string]any); ok && p.inner.eval(m) {
				return true
			}
		}
	}
	return false
}

func (p comparePredicate) eval(doc map[string]any) bool {
	have, ok := doc[p.field]
	if !ok {
		return p.op == "!=" || p.op == "<>"
	}
	switch p.op {
	case "in":
		for _, v := range p.values {
			if compare(have, v) == 0 {
				return true
			}
		}
		return false
	case "=":
		return compare(have, p.values[0]) == 0
	case "!=", "<>":
		return compare(have, p.values[0]) != 0
	}
	c := compare(have, p.values[0])
	if c == incomparable {
		return false
	}
	switch p.op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	default:
		return c >= 0
	}
}

const incomparable = 2

// compare orders a stored value against a literal: -1, 0, 1, or incomparable.
func compare(have, want any) int {
	switch w := want.(type) {
	case string:
		h, ok := have.(string)
		if !ok {
			return incomparable
		}
		return strings.Compare(h, w)
	case float64:
		n, ok := have.(json.Number)
		if !ok {
			return incomparable
		}
		h, err := n.Float64()
		if err != nil {
			return incomparable
		}
		switch {
		case h < w:
			return -1
		case h > w:
			return 1
		}
		return 0
	case bool:
		if h, ok := have.(bool); ok && h == w {
			return 0
		}
	}
	return incomparable
}

// parsePredicate parses a where parameter.
func parsePredicate(s string) (predicate, error) {
	p := &predicateParser{tokens: tokenize(s)}
	if p.err != nil {
		return nil, p.err
	}
	expr := p.parseOr()
	if p.err == nil && p.pos < len(p.tokens) {
		p.fail("unexpected %q", p.tokens[p.pos].text)
	}
	if p.err != nil {
		return nil, p.err
	}
	return expr, nil
}

type predicateToken struct {
	text   string
	quoted bool
}

type predicateParser struct {
	tokens []predicateToken
	pos    int
	err    error
}

func (p *predicateParser) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf(format, args...)
	}
}

func (p *predicateParser) peek() string {
	if p.pos < len(p.tokens) && !p.tokens[p.pos].quoted {
		return strings.ToLower(p.tokens[p.pos].text)
	}
	return ""
}

func (p *predicateParser) next() (predicateToken, bool) {
	if p.pos >= len(p.tokens) {
		p.fail("unexpected end")
		return predicateToken{}, false
	}
	t := p.tokens[p.pos]
	p.pos++
	return t, true
}

func (p *predicateParser) expect(text string) {
	if t, ok := p.next(); ok && (t.quoted || t.text != text) {
		p.fail("expected %q, got %q", text, t.text)
	}
}

func (p *predicateParser) parseOr() predicate {
	terms := orPredicate{p.parseAnd()}
	for p.err == nil && p.peek() == "or" {
		p.pos++
		terms = append(terms, p.parseAnd())
	}
	if len(terms) == 1 {
		return terms[0]
	}
	return terms
}

func (p *predicateParser) parseAnd() predicate {
	terms := andPredicate{p.parseUnary()}
	for p.err == nil && p.peek() == "and" {
		p.pos++
		terms = append(terms, p.parseUnary())
	}
	if len(terms) == 1 {
		return terms[0]
	}
	return terms
}

func (p *predicateParser) parseUnary() predicate {
	switch p.peek() {
	case "not":
		p.pos++
		p.expect("(")
		inner := p.parseOr()
		p.expect(")")
		return notPredicate{inner}
	case "(":
		p.pos++
		inner := p.parseOr()
		p.expect(")")
		return inner
	}
	t, ok := p.next()
	if !ok {
		return nil
	}
	if t.quoted || !isIdentifier(t.text) {
		p.fail("expected a field name, got %q", t.text)
		return nil
	}
	field := t.text
	switch op := p.peek(); op {
	case "(":
		p.pos++
		inner := p.parseOr()
		p.expect(")")
		return nestedPredicate{field: field, inner: inner}
	case "=", "!=", "<>", "<", "<=", ">", ">=":
		p.pos++
		return comparePredicate{field: field, op: op, values: []any{p.parseValue()}}
	case "in":
		p.pos++
		p.expect("(")
		values := []any{p.parseValue()}
		for p.err == nil && p.peek() == "," {
			p.pos++
			values = append(values, p.parseValue())
		}
		p.expect(")")
		return comparePredicate{field: field, op: "in", values: values}
	case "is":
		p.pos++
		defined := true
		if p.peek() == "not" {
			p.pos++
			defined = false
		}
		p.expect("defined")
		return definedPredicate{field: field, defined: defined}
	default:
		p.fail("expected an operator after %q", field)
		return nil
	}
}

func (p *predicateParser) parseValue() any {
	t, ok := p.next()
	if !ok {
		return nil
	}
	if t.quoted {
		return t.text
	}
	switch t.text {
	case "true":
		return true
	case "false":
		return false
	}
	n, err := strconv.ParseFloat(t.text, 64)
	if err != nil {
		p.fail("expected a value, got %q", t.text)
	}
	return n
}

func isIdentifier(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' {
			return false
		}
	}
	return s != ""
}

// tokenize splits a predicate into quoted strings, operators, parentheses and words.
func tokenize(s string) []predicateToken {
	var out []predicateToken
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case c == '"':
			var b strings.Builder
			i++
			for i < len(s) && s[i] != '"' {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
				i++
			}
			i++
			out = append(out, predicateToken{text: b.String(), quoted: true})
		case c == '(' || c == ')' || c == ',':
			out = append(out, predicateToken{text: string(c)})
			i++
		case strings.ContainsRune("=!<>", rune(c)):
			j := i + 1
			for j < len(s) && strings.ContainsRune("=<>", rune(s[j])) {
				j++
			}
			out = append(out, predicateToken{text: s[i:j]})
			i = j
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n\"(),=!<>", rune(s[j])) {
				j++
			}
			out = append(out, predicateToken{text: s[i:j]})
			i = j
		}
	}
	return out
}
