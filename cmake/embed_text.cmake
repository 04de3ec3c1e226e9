# Writes OUTPUT, a C++ file defining essc::http::openapi_document() that returns INPUT's text.
file(READ ${INPUT} text)
set(delimiter "essc_embed")
file(WRITE ${OUTPUT} "#include <string_view>\nnamespace essc::http {\nstd::string_view openapi_document() {\n  return R\"${delimiter}(${text})${delimiter}\";\n}\n}  // namespace essc::http\n")
