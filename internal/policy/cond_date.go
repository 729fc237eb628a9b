package policy

// Date operators compare instants given as W3C ISO 8601 dates
// (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mmTZD, YYYY-MM-DDThh:mm:ssTZD,
// with optional fractional seconds) or as epoch seconds. Wildcards and
// policy variables are not allowed.

// dateValue is an instant in nanoseconds since the epoch, split to keep
// the full range of years.
type dateValue struct {
	sec  int64
	nsec int64
}

func (a dateValue) cmp(b dateValue) int {
	switch {
	case a.sec < b.sec:
		return -1
	case a.sec > b.sec:
		return 1
	case a.nsec < b.nsec:
		return -1
	case a.nsec > b.nsec:
		return 1
	}
	return 0
}

func matchDate(op *operator, pv *condValue, v string) bool {
	d, ok := parseDate(v)
	if !ok {
		return false
	}
	return compare(op.cmp, d.cmp(pv.date))
}

// parseDate parses an ISO 8601 date or epoch seconds without allocating.
func parseDate(s string) (dateValue, bool) {
	if s == "" {
		return dateValue{}, false
	}
	if isEpoch(s) {
		var sec int64
		for i := 0; i < len(s); i++ {
			if sec > (1<<62)/10 {
				return dateValue{}, false
			}
			sec = sec*10 + int64(s[i]-'0')
		}
		return dateValue{sec: sec}, true
	}
	p := dateParser{s: s}
	year, ok := p.num(4)
	if !ok {
		return dateValue{}, false
	}
	month, day := 1, 1
	hour, min, sec, nsec := 0, 0, 0, 0
	offset := 0
	if p.eat('-') {
		if month, ok = p.num(2); !ok || month < 1 || month > 12 {
			return dateValue{}, false
		}
		if p.eat('-') {
			if day, ok = p.num(2); !ok || day < 1 || day > daysIn(year, month) {
				return dateValue{}, false
			}
			if p.eat('T') || p.eat('t') {
				if hour, ok = p.num(2); !ok || hour > 23 || !p.eat(':') {
					return dateValue{}, false
				}
				if min, ok = p.num(2); !ok || min > 59 {
					return dateValue{}, false
				}
				if p.eat(':') {
					if sec, ok = p.num(2); !ok || sec > 59 {
						return dateValue{}, false
					}
					if p.eat('.') {
						digits := 0
						for p.i < len(p.s) && isDigit(p.s[p.i]) {
							if digits < 9 {
								nsec = nsec*10 + int(p.s[p.i]-'0')
								digits++
							}
							p.i++
						}
						if digits == 0 {
							return dateValue{}, false
						}
						for ; digits < 9; digits++ {
							nsec *= 10
						}
					}
				}
				switch {
				case p.eat('Z') || p.eat('z'):
				case p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-'):
					sign := 1
					if p.s[p.i] == '-' {
						sign = -1
					}
					p.i++
					oh, ok1 := p.num(2)
					p.eat(':')
					om, ok2 := p.num(2)
					if !ok1 || !ok2 || oh > 23 || om > 59 {
						return dateValue{}, false
					}
					offset = sign * (oh*3600 + om*60)
				}
			}
		}
	}
	if p.i != len(p.s) {
		return dateValue{}, false
	}
	days := daysFromCivil(int64(year), month, day)
	return dateValue{sec: days*86400 + int64(hour*3600+min*60+sec-offset), nsec: int64(nsec)}, true
}

func isEpoch(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return len(s) != 4 // a bare four-digit string is a year
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

type dateParser struct {
	s string
	i int
}

func (p *dateParser) num(n int) (int, bool) {
	if p.i+n > len(p.s) {
		return 0, false
	}
	v := 0
	for j := 0; j < n; j++ {
		c := p.s[p.i+j]
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	p.i += n
	return v, true
}

func (p *dateParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian
// date (Howard Hinnant's algorithm).
func daysFromCivil(y int64, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
