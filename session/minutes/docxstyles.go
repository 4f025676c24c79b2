package minutes

import "strconv"

// The DOCX's styles: Word's built-in names (Title, heading 1…4) where
// there is one, so that the navigation pane and a table of contents
// work, and our own for ideas, facts and tables.

func stylesXML(lang string) string {
	tableSize, cellMar := strconv.Itoa(tableTextSize), strconv.Itoa(cellMargin)
	return xmlHeader + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/>` +
		`<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="` + wordLang[lang] + `"/></w:rPr></w:rPrDefault>` +
		`<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
		`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>` +
		`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/>` +
		`<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>` +
		`<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
		`<w:pPr><w:spacing w:after="160"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:color w:val="1D2A30"/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Title"/><w:qFormat/>` +
		`<w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:caps/><w:color w:val="5B6B73"/><w:spacing w:val="20"/><w:sz w:val="18"/></w:rPr></w:style>` +
		heading(1, 32, 360, "1F5F7A") + heading(2, 26, 240, "1F5F7A") + heading(3, 23, 200, "1F5F7A") + heading(4, 21, 160, "5B6B73") +
		`<w:style w:type="paragraph" w:styleId="Draft"><w:name w:val="Draft"/><w:basedOn w:val="Normal"/>` +
		`<w:pPr><w:shd w:val="clear" w:color="auto" w:fill="FFF4D6"/></w:pPr><w:rPr><w:i/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Fact"><w:name w:val="Fact"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="40"/></w:pPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Idea"><w:name w:val="Idea"/><w:basedOn w:val="Normal"/>` +
		`<w:pPr><w:keepNext/><w:tabs><w:tab w:val="left" w:pos="425"/></w:tabs><w:spacing w:before="120" w:after="20"/><w:ind w:left="425" w:hanging="425"/></w:pPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="IdeaMeta"><w:name w:val="Idea Meta"/><w:basedOn w:val="Normal"/>` +
		`<w:pPr><w:spacing w:after="40"/><w:ind w:left="425"/></w:pPr><w:rPr><w:color w:val="5B6B73"/><w:sz w:val="19"/><w:szCs w:val="19"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Merged"><w:name w:val="Merged Idea"/><w:basedOn w:val="Normal"/>` +
		`<w:pPr><w:spacing w:after="40"/><w:ind w:left="851"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/>` +
		`<w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="` + tableSize + `"/><w:szCs w:val="` + tableSize + `"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="TableSub"><w:name w:val="Table Sub"/><w:basedOn w:val="TableText"/>` +
		`<w:rPr><w:color w:val="5B6B73"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="TableAfter"><w:name w:val="Table After"/><w:basedOn w:val="Normal"/>` +
		`<w:pPr><w:spacing w:after="0" w:line="120" w:lineRule="exact"/></w:pPr><w:rPr><w:sz w:val="8"/></w:rPr></w:style>` +
		`<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/>` +
		`<w:rPr><w:color w:val="1F5F7A"/><w:u w:val="single"/></w:rPr></w:style>` +
		`<w:style w:type="table" w:styleId="PoytaTable"><w:name w:val="Pöytä Table"/><w:basedOn w:val="TableNormal"/>` +
		`<w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="CFD8DC"/><w:left w:val="nil"/>` +
		`<w:bottom w:val="single" w:sz="4" w:space="0" w:color="CFD8DC"/><w:right w:val="nil"/>` +
		`<w:insideH w:val="single" w:sz="4" w:space="0" w:color="CFD8DC"/><w:insideV w:val="nil"/></w:tblBorders>` +
		`<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="` + cellMar + `" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="` + cellMar + `" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
		`</w:styles>`
}

func heading(level, size, before int, color string) string {
	n := strconv.Itoa(level)
	return `<w:style w:type="paragraph" w:styleId="Heading` + n + `"><w:name w:val="heading ` + n + `"/><w:basedOn w:val="Normal"/>` +
		`<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/>` +
		`<w:spacing w:before="` + strconv.Itoa(before) + `" w:after="80"/><w:outlineLvl w:val="` + strconv.Itoa(level-1) + `"/></w:pPr>` +
		`<w:rPr><w:b/><w:color w:val="` + color + `"/><w:sz w:val="` + strconv.Itoa(size) + `"/><w:szCs w:val="` + strconv.Itoa(size) + `"/></w:rPr></w:style>`
}
