package awswire

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// restXml is the protocol of S3 (and CloudFront, Route 53): the operation is chosen by method, path
// and query, inputs travel in the path, query, headers and an XML body, and outputs come back as
// headers and an XML document. These helpers write and read the XML parts; the headers and the
// routing belong to each service.

// XMLDeclaration opens every restXml body AWS sends.
const XMLDeclaration = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// WriteXML answers status with v encoded as a restXml document: the XML declaration, then v, which
// must carry its own XMLName (with the service's namespace in XMLName.Space, which encoding/xml
// writes as the xmlns attribute AWS sends).
func WriteXML(w http.ResponseWriter, status int, v any) {
	data, err := xml.Marshal(v)
	if err != nil {
		e := InternalError(fmt.Errorf("encoding response: %w", err))
		http.Error(w, e.Error(), e.Status)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(XMLDeclaration)+len(data)))
	w.WriteHeader(status)
	w.Write([]byte(XMLDeclaration))
	w.Write(data)
}

// ErrEmptyXML is returned by DecodeXML for a body with no element.
var ErrEmptyXML = errors.New("the request body holds no XML document")

// DecodeXML decodes one restXml request document into v. encoding/xml never resolves external
// entities or DTDs, so a hostile body can cost CPU in proportion to its size but nothing more.
// Anything but whitespace, comments and processing instructions after the root element is an error,
// as a second document would be silently ignored otherwise.
func DecodeXML(data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return ErrEmptyXML
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return err
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return errors.New("unexpected text after the document element")
			}
		case xml.Comment, xml.ProcInst:
		default:
			return errors.New("unexpected content after the document element")
		}
	}
}

// XMLTime formats t as restXml timestamps are written: ISO 8601 in UTC with milliseconds,
// e.g. 2009-10-12T17:50:30.000Z.
func XMLTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// WriteRestXMLError writes e in S3's error shape, which has no wrapping element:
//
//	<Error><Code/><Message/>{fields}<RequestId/><HostId/></Error>
//
// e.Fields become elements between Message and RequestId (S3 adds BucketName, Key, Resource,
// ArgumentName/ArgumentValue, ArgumentName1/ArgumentValue1, ...), ordered by their number suffix
// first so that numbered pairs stay together as S3 writes them. HostId is the response's
// x-amz-id-2 header when the service set one. A HEAD request gets the status and headers only:
// S3 sends no body with HEAD answers, and clients read the error from the status.
func WriteRestXMLError(w http.ResponseWriter, r *http.Request, e *Error) {
	e.writeHeaders(w)
	if r != nil && r.Method == http.MethodHead {
		w.WriteHeader(e.Status)
		return
	}
	var b strings.Builder
	b.WriteString("<Error>")
	writeElement(&b, "Code", e.Code)
	writeElement(&b, "Message", e.Message)
	for _, k := range sortedFieldNames(e.Fields) {
		writeElement(&b, k, fmt.Sprint(e.Fields[k]))
	}
	reqID := ""
	if r != nil {
		reqID = RequestID(r.Context())
	}
	writeElement(&b, "RequestId", reqID)
	if hostID := w.Header().Get("X-Amz-Id-2"); hostID != "" {
		writeElement(&b, "HostId", hostID)
	}
	b.WriteString("</Error>")
	writeXMLBody(w, e.Status, b.String())
}

// WriteRestXMLErrorWrapped writes e in the wrapped restXml error shape of CloudFront and Route 53:
//
//	<ErrorResponse><Error><Type>Sender</Type><Code/><Message/>{fields}</Error><RequestId/></ErrorResponse>
func WriteRestXMLErrorWrapped(w http.ResponseWriter, r *http.Request, xmlns string, e *Error) {
	e.writeHeaders(w)
	if r != nil && r.Method == http.MethodHead {
		w.WriteHeader(e.Status)
		return
	}
	var b strings.Builder
	b.WriteString("<ErrorResponse")
	if xmlns != "" {
		b.WriteString(` xmlns="`)
		xml.EscapeText(&b, []byte(xmlns))
		b.WriteString(`"`)
	}
	b.WriteString("><Error>")
	typ := "Sender"
	if e.Server {
		typ = "Receiver"
	}
	writeElement(&b, "Type", typ)
	writeElement(&b, "Code", e.Code)
	writeElement(&b, "Message", e.Message)
	for _, k := range sortedFieldNames(e.Fields) {
		writeElement(&b, k, fmt.Sprint(e.Fields[k]))
	}
	b.WriteString("</Error>")
	reqID := ""
	if r != nil {
		reqID = RequestID(r.Context())
	}
	writeElement(&b, "RequestId", reqID)
	b.WriteString("</ErrorResponse>")
	writeXMLBody(w, e.Status, b.String())
}

func writeXMLBody(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(XMLDeclaration)+len(body)))
	w.WriteHeader(status)
	w.Write([]byte(XMLDeclaration))
	w.Write([]byte(body))
}

// writeElement writes <name>text</name>. Names come from the simulator's own code, never from a
// request, so only the text is escaped.
func writeElement(b *strings.Builder, name, text string) {
	b.WriteString("<" + name + ">")
	xml.EscapeText(b, []byte(text))
	b.WriteString("</" + name + ">")
}

// sortedFieldNames orders error fields by their trailing number (none counts as 0), then by name:
// ArgumentName, ArgumentValue, ArgumentName1, ArgumentValue1, ArgumentName2, ...
func sortedFieldNames(fields map[string]any) []string {
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		bi, ni := splitNumberSuffix(names[i])
		bj, nj := splitNumberSuffix(names[j])
		if ni != nj {
			return ni < nj
		}
		if bi != bj {
			return bi < bj
		}
		return names[i] < names[j]
	})
	return names
}

func splitNumberSuffix(s string) (string, int) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	if i == len(s) || len(s)-i > 9 {
		return s, 0
	}
	n, _ := strconv.Atoi(s[i:])
	return s[:i], n
}

// ReadXML reads a restXml request body of at most limit bytes and decodes it into v. It returns
// ErrBodyTooLarge, ErrEmptyXML or the decoding error; each service answers them in its own codes
// (S3: MalformedXML).
func ReadXML(r *http.Request, limit int64, v any) error {
	data, err := ReadBody(r, limit)
	if err != nil {
		return err
	}
	return DecodeXML(data, v)
}
