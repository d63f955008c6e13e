package org.imgedge.presets;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.imgedge.catalog.Sql;
import org.imgedge.catalog.VariantFormat;
import org.imgedge.imaging.Preset;
import org.imgedge.imaging.PresetSet;
import org.imgedge.imaging.codec.Chroma;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment's presets, shared in the catalog's {@code presets} table so that every node makes and
 * regenerates the same variants. A node applies its configured list at start: changing the list in the
 * configuration and restarting is how an operator adds, changes or removes a preset. Running nodes read
 * the table back every few seconds ({@link #refresh}), and make their uploads with what they read.
 */
public final class SharedPresets {

  private static final Logger log = LoggerFactory.getLogger(SharedPresets.class);
  private static final String READ = "SELECT name, box, quality, progressive, formats, webp_quality, avif_quality, chroma"
      + " FROM presets";

  private final Sql sql;
  private volatile PresetSet current;
  private final List<Consumer<PresetSet>> listeners = new CopyOnWriteArrayList<>();

  private SharedPresets(Sql sql, PresetSet current) {
    this.sql = sql;
    this.current = current;
  }

  /** Makes {@code configured} the deployment's presets, and logs what that changed. */
  public static Future<SharedPresets> apply(Sql sql, PresetSet configured) {
    // of nodes starting at once, one at a time reads and replaces the list
    return sql.transaction(conn -> sql.dialect().lockTable(conn, "presets")
            .compose(locked -> conn.preparedQuery(sql.dialect().sql(READ)).execute(Tuple.tuple()))
            .compose(rows -> {
              PresetSet before = toSet(rows);
              if (before.fingerprint().equals(configured.fingerprint())) {
                return Future.succeededFuture();
              }
              logChange(before, configured);
              return replace(sql, conn, configured);
            }))
        .map(v -> new SharedPresets(sql, configured));
  }

  private static Future<Void> replace(Sql sql, SqlConnection conn, PresetSet presets) {
    List<Tuple> rows = presets.presets().stream().map(p -> Tuple.of(p.name(), p.box(), p.quality(), p.progressive() ? 1 : 0,
        p.formatList(), p.webpQuality(), p.avifQuality(), p.chroma().wire())).toList();
    return conn.preparedQuery(sql.dialect().sql("DELETE FROM presets")).execute()
        .compose(v -> conn.preparedQuery(sql.dialect().sql("INSERT INTO presets (name, box, quality, progressive, formats,"
                + " webp_quality, avif_quality, chroma) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"))
            .executeBatch(rows))
        .mapEmpty();
  }

  private static void logChange(PresetSet before, PresetSet after) {
    if (before.presets().isEmpty()) {
      log.info("presets recorded for the deployment: {}", after.presets());
      return;
    }
    Set<String> added = new TreeSet<>();
    Set<String> changed = new TreeSet<>();
    Set<String> removed = new TreeSet<>();
    for (Preset p : after.presets()) {
      before.get(p.name()).ifPresentOrElse(old -> {
        if (!old.spec().equals(p.spec())) {
          changed.add(p.name() + " (" + old.spec() + " -> " + p.spec() + ")");
        }
      }, () -> added.add(p.name()));
    }
    before.presets().stream().filter(p -> !after.contains(p.name())).forEach(p -> removed.add(p.name()));
    log.warn("this node's configuration changes the deployment's presets: added {}, changed {}, removed {}; every node now"
        + " makes these, and the regeneration brings the images recorded so far up to date", added, changed, removed);
  }

  /** {@code listener} is told of each change that {@link #refresh} finds. */
  public void onChange(Consumer<PresetSet> listener) {
    listeners.add(listener);
  }

  /** The presets as this node last read them. */
  public PresetSet current() {
    return current;
  }

  /** Reads the shared presets again: another node may have changed them. */
  public Future<PresetSet> refresh() {
    return sql.query(READ, Tuple.tuple()).map(rows -> {
      PresetSet read = toSet(rows);
      if (!read.presets().isEmpty() && !read.fingerprint().equals(current.fingerprint())) {
        log.info("the deployment's presets changed (by another node's configuration): now {}", read.presets());
        current = read;
        listeners.forEach(l -> l.accept(read));
      }
      return current;
    });
  }

  private static PresetSet toSet(RowSet<Row> rows) {
    List<Preset> presets = new ArrayList<>();
    rows.forEach(r -> {
      // a format a newer node wrote that this build does not know is left to the nodes that do
      Set<VariantFormat> formats = EnumSet.noneOf(VariantFormat.class);
      for (String f : r.getString("formats").split(",")) {
        VariantFormat.ofWire(f).ifPresent(formats::add);
      }
      presets.add(new Preset(r.getString("name"), r.getInteger("box"), r.getInteger("quality"), r.getInteger("progressive") != 0,
          formats, r.getInteger("webp_quality"), r.getInteger("avif_quality"),
          Chroma.fromWire(r.getString("chroma")).orElse(Chroma.SUBSAMPLED)));
    });
    return new PresetSet(presets);
  }
}
