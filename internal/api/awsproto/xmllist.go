package awsproto

import "encoding/xml"

// XMLList is a list member of a Query response: <Name><member>…</member>…</Name>. AWS sends
// the element even when the list is empty, so list members always appear unless tagged
// omitempty.
type XMLList[T any] []T

// MarshalXML implements xml.Marshaler.
func (l XMLList[T]) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	member := xml.StartElement{Name: xml.Name{Local: "member"}}
	for _, v := range l {
		if err := e.EncodeElement(v, member); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}
