package org.imgedge.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a configuration file, naming the file, line and column of a syntax error: Vert.x's own message
 * names neither, which leaves the operator to bisect the file by hand.
 */
final class JsonFiles {

  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonFiles() {}

  static JsonObject read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getClass().getSimpleName());
    }
    return parse(file.toString(), text);
  }

  static JsonObject parse(String name, String text) {
    // Jackson's streaming parser (Vert.x's own) walks the text once to find where it stops being JSON;
    // only a text that passes is handed to JsonObject.
    try (JsonParser parser = FACTORY.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new ConfigException(name + ":1:1: the configuration must be a JSON object");
      }
      parser.skipChildren();
      if (parser.nextToken() != null) {
        JsonLocation at = parser.currentTokenLocation();
        throw new ConfigException(name + ":" + at.getLineNr() + ":" + at.getColumnNr() + ": text after the end of the JSON object");
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new ConfigException(name + ":" + at.getLineNr() + ":" + at.getColumnNr() + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + name + ": " + e.getClass().getSimpleName());
    }
    return new JsonObject(text);
  }
}
