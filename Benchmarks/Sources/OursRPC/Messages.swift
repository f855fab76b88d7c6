// The services' messages are OursMessages' (one generated copy of search.proto's types).
@_exported import OursMessages
