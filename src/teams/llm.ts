/**
 * The optional language model: teams-ai's ActionPlanner with an OpenAIModel (OpenAI, Azure OpenAI or
 * an OpenAI-compatible server) and the 'tools' augmentation, run through Application's AI system.
 *
 * It is consulted only for a message that no command took AND that the deterministic parser does
 * not understand. The model picks one of the read-only query tools (src/app/llm-questions.ts); the
 * tool is validated against the agreement and answered by QuestionService; the bot renders the same
 * answer card as for a typed question. The model's own words are at most a one-line lead without
 * digits. Anything else — an unknown tool, a bad parameter, an HTTP error, a malformed response, a
 * timeout, text without a tool call — ends in the deterministic answer (the examples card).
 *
 * Why app.ai.run() is called from the fallback instead of letting Application run the AI: our
 * message route takes every message (command router, then questions), so Application never reaches
 * its own AI step; and the model must only be asked after the deterministic parser and the privacy
 * guard, under a deadline, with our card rendering. The actions are still registered with
 * app.ai.action() and the plan is executed by teams-ai.
 *
 * Why the prompt is built in code instead of a prompts/ folder: the tool parameters are enums of the
 * agreement's activity ids, pledge numbers and areas, which are data; and the folder loader of
 * teams-ai 1.7.4 reads tool outputs from a history variable it never writes when include_history is
 * false (and include_history true would resend earlier questions in later turns).
 */
import { createHash } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import {
  AI,
  ActionOutputMessage,
  ActionPlanner,
  ConversationHistory,
  OpenAIModel,
  Prompt,
  PromptManager,
  TemplateSection,
  TextSection,
  ToolsAugmentation,
  UserMessage,
  type AIOptions,
  type Application,
  type Plan,
  type PredictedDoCommand,
  type PromptTemplate,
  type TurnState,
} from '@microsoft/teams-ai';
import {
  acceptableLead,
  isToolName,
  questionMaySendToModel,
  TOOL_NAMES,
  type QuestionTools,
  type ToolCatalogue,
} from '../app/llm-questions.js';
import type { Answer } from '../app/questions.js';
import type { LlmConfig } from '../config.js';
import { answerCard } from './cards/answer-card.js';
import { plainText, textBlock, type AdaptiveCardJson } from './cards/card.js';
import { actorOf, sendCard, textsOf } from './turn.js';
import type { BotDeps } from './deps.js';

/** What the composition root hands the Teams layer when a model is configured. */
export interface LanguageModelDeps {
  settings: LlmConfig;
  tools: QuestionTools;
}

/** A tool name the model made up, fit for a log line (never free text). */
const toolLabel = (name: unknown) =>
  typeof name === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(name) ? name : '(invalid name)';

/** At most this many tool calls per question; a model that keeps calling is cut off. */
const MAX_TOOL_CALLS = 3;
const MAX_INPUT_TOKENS = 8000;

interface TurnCapture {
  catalogue: ToolCatalogue;
  template: PromptTemplate;
  answers: Answer[];
  lead?: string;
  calls: number;
  /** A tool or parameter the agreement does not know: the whole plan is discarded. */
  rejected: boolean;
  failed: boolean;
}

export function createModel(s: LlmConfig): OpenAIModel {
  // No retries: one deadline covers the whole exchange, and a retry would only wait longer.
  // (teams-ai keeps its own maxRetries option but does not hand it to the OpenAI client: set both.)
  const common = {
    useSystemMessages: true,
    maxRetries: 0,
    clientOptions: { timeout: s.timeoutMs, maxRetries: 0 },
    logRequests: false,
  };
  if (s.provider === 'azure') {
    return new OpenAIModel({
      ...common,
      azureApiKey: s.apiKey,
      azureEndpoint: s.baseUrl,
      azureDefaultDeployment: s.model,
      azureApiVersion: s.apiVersion,
    });
  }
  return new OpenAIModel({ ...common, apiKey: s.apiKey, defaultModel: s.model, endpoint: s.baseUrl });
}

function templateFor(catalogue: ToolCatalogue): PromptTemplate {
  const hash = createHash('sha256')
    .update(catalogue.instructions)
    .update(JSON.stringify(catalogue.tools))
    .digest('hex')
    .slice(0, 16);
  const name = `questions-${hash}`;
  // The turn-scoped history the planner writes (include_history false): the question and the tool
  // calls of this turn only, so that tool outputs can follow the call they answer.
  const history = `temp.${name}_history`;
  return {
    name,
    prompt: new Prompt([
      new TextSection(catalogue.instructions, 'system'),
      new TemplateSection('Today is {{$temp.questionsToday}}.', 'system'),
      new ConversationHistory(history),
      new ActionOutputMessage(history),
      new UserMessage('{{$temp.input}}'),
    ]),
    config: {
      schema: 1.1,
      type: 'completion',
      description: 'Routes a free-form question about the medborgarlöfte to a read-only query tool.',
      completion: {
        completion_type: 'chat',
        include_history: false,
        include_input: true,
        include_images: false,
        max_tokens: 300,
        max_input_tokens: MAX_INPUT_TOKENS,
        temperature: 0,
        top_p: 1,
        presence_penalty: 0,
        frequency_penalty: 0,
        tool_choice: 'auto',
      },
      augmentation: { augmentation_type: 'tools' },
    },
    augmentation: new ToolsAugmentation(),
    actions: catalogue.tools.map((t) => ({
      name: t.name,
      description: t.description,
      parameters: t.parameters as never,
    })),
  };
}

export class LanguageModelFallback {
  readonly aiOptions: AIOptions<TurnState>;
  private readonly prompts = new PromptManager({ promptsFolder: '/nonexistent-prompts' });
  private readonly captures = new WeakMap<TurnContext, TurnCapture>();
  private readonly registered = new Set<string>();

  constructor(
    private readonly llm: LanguageModelDeps,
    private readonly deps: BotDeps,
  ) {
    const planner = new ActionPlanner<TurnState>({
      model: createModel(llm.settings),
      prompts: this.prompts,
      max_repair_attempts: 0,
      defaultPrompt: async (context) => {
        const capture = this.captures.get(context);
        if (!capture) throw new Error('language model asked outside a question turn');
        // ActionPlanner in teams-ai 1.7.4 does not await PromptManager.hasPrompt(), so it never adds a
        // template it is given: register it here, once per agreement version (synchronously, no race).
        if (!this.registered.has(capture.template.name)) {
          this.registered.add(capture.template.name);
          this.prompts.addPrompt(capture.template);
        }
        return capture.template;
      },
    });
    this.aiOptions = { planner, allow_looping: true, max_time: llm.settings.timeoutMs };
  }

  /** Registers the query tools and replaces teams-ai's default actions that would talk to the user. */
  register(app: Application<TurnState>): void {
    for (const name of TOOL_NAMES) {
      app.ai.action<Record<string, unknown>>(name, async (context, _state, parameters) => {
        const capture = this.captures.get(context);
        if (!capture || capture.rejected || capture.failed) return AI.StopCommandName;
        if (++capture.calls > MAX_TOOL_CALLS) {
          capture.rejected = true;
          return AI.StopCommandName;
        }
        const result = await this.llm.tools.run(
          name,
          parameters,
          await actorOf(context, this.deps),
          context.activity.text ?? '',
        );
        if (!result.ok) {
          this.deps.logger.warn(
            { tool: name, reason: result.reason.slice(0, 200) },
            'language model: tool call refused',
          );
          capture.rejected = true;
          return AI.StopCommandName;
        }
        capture.answers.push(result.answer);
        return result.summary;
      });
    }
    // The whole plan is checked before any of it runs: only our query tools and the lead. This also
    // keeps the model away from teams-ai's own actions (___SAY___, ___DO___ …), which share the table.
    app.ai.action<Plan>(AI.PlanReadyActionName, async (context, _state, plan) => {
      const capture = this.captures.get(context);
      const commands = Array.isArray(plan?.commands) ? plan.commands : [];
      const foreign = commands.filter(
        (c) => !(c.type === 'SAY' || (c.type === 'DO' && isToolName((c as PredictedDoCommand).action))),
      );
      if (!capture || commands.length === 0) return AI.StopCommandName;
      if (foreign.length > 0) {
        this.deps.logger.warn(
          { tools: foreign.map((c) => toolLabel((c as PredictedDoCommand).action)) },
          'language model: unknown tool refused',
        );
        capture.rejected = true;
        return AI.StopCommandName;
      }
      return '';
    });
    app.ai.action(AI.UnknownActionName, async (context, _state, _plan, action) => {
      this.deps.logger.warn({ tool: toolLabel(action) }, 'language model: unknown tool refused');
      const capture = this.captures.get(context);
      if (capture) capture.rejected = true;
      return AI.StopCommandName;
    });
    // The model's text is never sent as a message: at most it becomes the card's one-line lead.
    app.ai.action<{ response?: { content?: unknown } }>(AI.SayCommandActionName, async (context, _state, data) => {
      const capture = this.captures.get(context);
      if (capture) capture.lead = acceptableLead(data?.response?.content);
      return '';
    });
    app.ai.action(AI.HttpErrorActionName, async (context, _state, err: unknown) => {
      this.deps.logger.warn(
        { err: { message: String((err as Error | undefined)?.message ?? err).slice(0, 200) } },
        'language model: request failed',
      );
      const capture = this.captures.get(context);
      if (capture) capture.failed = true;
      return AI.StopCommandName;
    });
    app.ai.action(AI.TooManyStepsActionName, async (context) => {
      const capture = this.captures.get(context);
      if (capture) capture.failed = true;
      return AI.StopCommandName;
    });
  }

  /**
   * Answers a free-form question with the model's help. Returns false when the caller should answer
   * deterministically: the parser understood the text, the text may not be sent, or anything failed.
   */
  async answer(app: Application<TurnState>, context: TurnContext, state: TurnState): Promise<boolean> {
    const text = (context.activity.text ?? '').trim();
    if (!questionMaySendToModel(text)) return false;
    const { scope } = await actorOf(context, this.deps);
    if ((await this.llm.tools.parse(text, scope)).kind !== 'unknown') return false;
    const catalogue = await this.llm.tools.catalogue(scope);
    if (!catalogue) return false;

    const capture: TurnCapture = {
      catalogue,
      template: templateFor(catalogue),
      answers: [],
      calls: 0,
      rejected: false,
      failed: false,
    };
    this.captures.set(context, capture);
    // Exactly the text the privacy guard checked is what the model sees.
    state.temp.input = text;
    state.setValue('temp.questionsToday', catalogue.today);

    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.llm.settings.timeoutMs);
    });
    let outcome: 'done' | 'timeout' | 'error';
    try {
      outcome = await Promise.race([app.ai.run(context, state).then(() => 'done' as const), deadline]);
    } catch (err) {
      this.deps.logger.warn(
        { err: { message: String((err as Error).message).slice(0, 200) } },
        'language model: planner failed',
      );
      outcome = 'error';
    } finally {
      clearTimeout(timer);
      this.captures.delete(context);
    }
    if (outcome === 'timeout')
      this.deps.logger.warn({ timeoutMs: this.llm.settings.timeoutMs }, 'language model: no answer in time');

    // Answers already computed from the store stay valid when only the follow-up for the lead failed;
    // a plan with anything refused is discarded whole.
    if (capture.rejected || capture.answers.length === 0) return false;
    const lead = outcome === 'done' && !capture.failed ? capture.lead : undefined;
    this.deps.logger.info(
      { answers: capture.answers.map((a) => a.kind), lead: lead !== undefined, outcome },
      'language model chose the query',
    );
    await this.send(context, capture.answers, lead);
    return true;
  }

  private async send(context: TurnContext, answers: Answer[], lead: string | undefined): Promise<void> {
    const t = textsOf(context);
    for (const [i, answer] of answers.entries()) {
      const content: AdaptiveCardJson = answerCard(t, answer);
      const body = [...content.body];
      if (i === 0 && lead) body.unshift(plainText(lead, { weight: 'Bolder' }));
      body.push(textBlock(t.llm.interpretedNote, { isSubtle: true, size: 'Small' }));
      // The note is the AI label: botframework-connector 4.23 strips the schema.org AIGeneratedContent entity.
      await sendCard(context, { ...content, body });
    }
  }
}

/** The fallback when a model is configured; undefined otherwise (nothing is contacted). */
export function createLanguageModelFallback(deps: BotDeps): LanguageModelFallback | undefined {
  return deps.llm ? new LanguageModelFallback(deps.llm, deps) : undefined;
}
