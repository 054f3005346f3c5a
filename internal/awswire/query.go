package awswire

import (
	"encoding/xml"
	"net/http"
)

// WriteQueryResult answers an awsQuery request (STS, SNS, IAM, ELBv2, SQS's old protocol):
//
//	<{Action}Response xmlns="{xmlns}"><{Action}Result>...</{Action}Result>
//	<ResponseMetadata><RequestId>...</RequestId></ResponseMetadata></{Action}Response>
//
// result is marshalled as it is and must carry XMLName {Action}Result; it may be nil for actions
// without a result.
func WriteQueryResult(w http.ResponseWriter, requestID, action, xmlns string, result any) {
	type metadata struct {
		RequestID string `xml:"RequestId"`
	}
	var resultXML []byte
	if result != nil {
		var err error
		resultXML, err = xml.Marshal(result)
		if err != nil {
			WriteQueryError(w, requestID, InternalError(err))
			return
		}
	}
	resp := struct {
		XMLName  xml.Name
		Xmlns    string   `xml:"xmlns,attr"`
		Result   []byte   `xml:",innerxml"`
		Metadata metadata `xml:"ResponseMetadata"`
	}{
		XMLName:  xml.Name{Local: action + "Response"},
		Xmlns:    xmlns,
		Metadata: metadata{RequestID: requestID},
	}
	resp.Result = resultXML
	writeXML(w, http.StatusOK, resp)
}

// WriteQueryError writes e in the awsQuery error shape:
// <ErrorResponse><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/></ErrorResponse>.
func WriteQueryError(w http.ResponseWriter, requestID string, e *Error) {
	typ := "Sender"
	if e.Server {
		typ = "Receiver"
	}
	code := e.Code
	if e.QueryCode != "" {
		code = e.QueryCode
	}
	body := struct {
		XMLName xml.Name `xml:"ErrorResponse"`
		Error   struct {
			Type    string
			Code    string
			Message string
		}
		RequestID string `xml:"RequestId"`
	}{RequestID: requestID}
	body.Error.Type, body.Error.Code, body.Error.Message = typ, code, e.Message
	e.writeHeaders(w)
	writeXML(w, e.Status, body)
}

func writeXML(w http.ResponseWriter, status int, v any) {
	data, err := xml.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	w.Write([]byte(xml.Header))
	w.Write(data)
}
